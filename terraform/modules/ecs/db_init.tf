# The database init task: services/dbinit, run once per deployment (and
# after a role's password changes) with `aws ecs run-task`, as the output
# db_init_run_task shows. It alone gets the RDS master user's password; it
# makes each service's role and database, then exits. Its group sends only
# PostgreSQL to the database and HTTPS (ECR, logs, Secrets Manager).

locals {
  db_init = var.create_db_init ? toset(["dbinit"]) : toset([])
}

resource "aws_cloudwatch_log_group" "db_init" {
  for_each          = local.db_init
  name              = "/ecs/${var.name}/dbinit"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "db_init" {
  for_each    = local.db_init
  name        = "${var.name}-dbinit"
  description = "Database init task: out to PostgreSQL and HTTPS only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-dbinit" }
}

resource "aws_vpc_security_group_egress_rule" "db_init_https" {
  for_each          = var.create_security_group_rules ? local.db_init : toset([])
  security_group_id = aws_security_group.db_init[each.key].id
  description       = "HTTPS: ECR, CloudWatch Logs, Secrets Manager"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "db_init_postgres" {
  for_each                     = var.create_security_group_rules ? local.db_init : toset([])
  security_group_id            = aws_security_group.db_init[each.key].id
  description                  = "PostgreSQL"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = var.database_security_group_id
}

resource "aws_ecs_task_definition" "db_init" {
  for_each                 = var.create_services ? local.db_init : toset([])
  family                   = "${var.name}-dbinit"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.db_init.execution_role_arn
  # No task role: it calls no AWS API; ECS hands it its secrets.

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{
    name                   = "dbinit"
    image                  = var.db_init.image
    essential              = true
    readonlyRootFilesystem = true
    environment            = [for k in sort(keys(var.db_init.environment)) : { name = k, value = var.db_init.environment[k] }]
    secrets                = [for k in sort(keys(var.db_init.secrets)) : { name = k, valueFrom = var.db_init.secrets[k] }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.db_init[each.key].name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "dbinit"
      }
    }
  }])
}
