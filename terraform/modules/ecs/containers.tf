# The container definitions, apart from the resources that use them.

locals {
  log_options = {
    for s in var.service_names : s => {
      "awslogs-group"         = aws_cloudwatch_log_group.service[s].name
      "awslogs-region"        = var.region
      "awslogs-stream-prefix" = s
    }
  }

  # Empty lists are left out rather than sent: ECS drops them, and the
  # difference would show in every plan.
  containers = {
    for s, svc in var.services : s => merge(
      {
        name                   = s
        image                  = svc.image
        essential              = true
        readonlyRootFilesystem = true
        stopTimeout            = 30
        portMappings           = [{ containerPort = var.container_port, hostPort = var.container_port, protocol = "tcp" }]
        environment            = [for k in sort(keys(svc.environment)) : { name = k, value = svc.environment[k] }]
        logConfiguration       = { logDriver = "awslogs", options = local.log_options[s] }
      },
      length(svc.secrets) == 0 ? {} : {
        secrets = [for k in sort(keys(svc.secrets)) : { name = k, valueFrom = svc.secrets[k] }]
      },
    )
  }
}
