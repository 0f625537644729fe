# The services on ECS Fargate: a cluster, and for each service a log group,
# a security group (in from the ALB only), a target group probed on
# /healthz, a task definition and a service; and one listener rule per route
# of topology.json, path patterns "prefix" and "prefix/*" at the route's
# priority, which routes exactly as the local gateway does (a Go test in
# services/topology proves it).

locals {
  services = toset(var.service_names)
  routes   = { for r in var.routes : r.prefix => r }
}

resource "aws_ecs_cluster" "this" {
  name = var.name

  # Off leaves the account's default.
  dynamic "setting" {
    for_each = var.container_insights ? ["enabled"] : []
    content {
      name  = "containerInsights"
      value = setting.value
    }
  }
}

resource "aws_cloudwatch_log_group" "service" {
  for_each          = local.services
  name              = "/ecs/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "service" {
  for_each    = local.services
  name        = "${var.name}-${each.key}"
  description = "${each.key} tasks: in from the internal ALB only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-${each.key}" }
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  for_each                     = var.create_security_group_rules ? local.services : toset([])
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "The internal ALB"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = var.alb_security_group_id
}

# Out only to what the services reach: HTTPS anywhere (AWS APIs, ECR and
# Mercado Pago, through NAT); PostgreSQL for the services that own a
# database, to its security group alone; HTTP to the internal ALB for the
# services that call others through it. (DNS and the task metadata
# endpoint are not subject to security groups.)
resource "aws_vpc_security_group_egress_rule" "https" {
  for_each          = var.create_security_group_rules ? local.services : toset([])
  security_group_id = aws_security_group.service[each.key].id
  description       = "HTTPS: AWS APIs, ECR, Mercado Pago"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "postgres" {
  for_each                     = var.create_security_group_rules ? toset(var.database_clients) : toset([])
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = var.database_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "alb" {
  for_each                     = var.create_security_group_rules ? toset(var.alb_clients) : toset([])
  security_group_id            = aws_security_group.service[each.key].id
  description                  = "HTTP to the internal ALB (calls to other services)"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_lb_target_group" "service" {
  for_each             = local.services
  name                 = "${var.name}-${each.key}"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener_rule" "route" {
  for_each     = local.routes
  listener_arn = var.listener_arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.service[each.value.service].arn
  }

  condition {
    path_pattern {
      values = [each.key, "${each.key}/*"]
    }
  }
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = var.create_services ? var.services : {}
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = each.value.execution_role_arn
  task_role_arn            = each.value.task_role_arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode(local.containers[each.key])
}

resource "aws_ecs_service" "service" {
  for_each                          = var.create_services ? var.services : {}
  name                              = each.key
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.service[each.key].arn
  desired_count                     = each.value.desired_count
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  health_check_grace_period_seconds = 30
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  wait_for_steady_state             = false

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.service[each.key].arn
    container_name   = each.key
    container_port   = var.container_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # A target group must be behind the listener before a service uses it.
  depends_on = [aws_lb_listener_rule.route]
}
