# The container definitions, apart from the resources that use them.

locals {
  log_options = {
    for s in var.service_names : s => {
      "awslogs-group"         = aws_cloudwatch_log_group.service[s].name
      "awslogs-region"        = var.region
      "awslogs-stream-prefix" = s
    }
  }

  collector_name = "otel-collector"

  # Empty lists are left out rather than sent: ECS drops them, and the
  # difference would show in every plan.
  service_containers = {
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
      # The collector is started first, so that the service's first
      # exports find it; and, as ECS stops dependents first, stopped last,
      # after the service has flushed what it had.
      var.collector == null ? {} : {
        dependsOn = [{ containerName = local.collector_name, condition = "START" }]
      },
    )
  }

  # The OpenTelemetry collector beside each service, its configuration
  # inline (the ADOT image reads AOT_CONFIG_CONTENT). Not essential: a
  # collector that fails must not take the service's task down with it
  # (its spans and metrics are lost, its orders are not); ECS restarts it
  # in place instead, unless it stopped cleanly (exit code 0). Every field
  # of the restart policy is given, and none is an empty list, so that
  # what ECS returns compares equal to what is sent. Its logs go to the
  # service's log group, under <service>/otel-collector/<task>.
  collector_containers = var.collector == null ? {} : {
    for s in keys(var.services) : s => {
      name                   = local.collector_name
      image                  = var.collector.image
      essential              = false
      restartPolicy          = { enabled = true, ignoredExitCodes = [0], restartAttemptPeriod = 60 }
      readonlyRootFilesystem = true
      environment            = [{ name = "AOT_CONFIG_CONTENT", value = var.collector.config }]
      logConfiguration       = { logDriver = "awslogs", options = local.log_options[s] }
    }
  }

  # The service's container first.
  containers = {
    for s in keys(var.services) : s => concat([local.service_containers[s]], var.collector == null ? [] : [local.collector_containers[s]])
  }
}
