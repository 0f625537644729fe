# Comanda on AWS: API Gateway (HTTP) -> VPC link -> internal ALB -> ECS
# Fargate, with RDS PostgreSQL, DynamoDB, SQS, Secrets Manager and KMS; an
# OpenTelemetry collector beside every service (X-Ray, CloudWatch) and
# alarms to an SNS topic.
# Names and routes come from services/topology/topology.json, the file the
# gateway and the harness embed, so what the harness proves is what ships.

locals {
  topology = jsondecode(file("${path.module}/../../../services/topology/topology.json"))
  services = local.topology.services

  zones = length(var.availability_zones) > 0 ? var.availability_zones : slice(data.aws_availability_zones.available[0].names, 0, var.az_count)

  access = {
    for s in local.services : s => {
      sign_tokens = try(local.topology.access[s].sign_tokens, false)
      consumes    = try(local.topology.access[s].consumes, [])
      publishes   = try(local.topology.access[s].publishes, [])
      calls       = try(local.topology.access[s].calls, [])
    }
  }
  # The services that call others through the internal ALB.
  alb_clients = [for s in local.services : s if length(local.access[s].calls) > 0]
  tables_of   = { for s in local.services : s => [for t in local.topology.tables : t if t.service == s] }
  database_of = { for d in local.topology.databases : d.service => d.name }
  # Each service that owns a database logs in as a role of its own, named
  # after it; only the init task uses the master user.
  database_roles = {
    for s, db in local.database_of : s => {
      role        = s
      secret_name = "${var.resource_prefix}${var.name}/database/${s}"
    }
  }
  database_clients = var.create_rds ? sort(keys(local.database_of)) : []

  # The attribute holding each expiring item's deadline (epoch seconds),
  # as the owners write it: production's kitchen outbox, payment's old
  # event markers.
  table_ttl_attributes = { payments = "ttl", "kitchen-orders" = "ttl" }
  tables = [
    for t in local.topology.tables : merge(t, { ttl_attribute = lookup(local.table_ttl_attributes, t.name, null) })
  ]

  # The services that keep an outbox (order's in PostgreSQL, production's
  # in DynamoDB) and export the age of its oldest message.
  outbox_services = ["order", "production"]

  project_secret_name = "${var.resource_prefix}${local.topology.secret}"
  # Credentials an operator puts in; Terraform makes only the empty secret.
  service_secret_names = merge(
    { payment = "${var.resource_prefix}${var.name}/payment" },
    var.bootstrap_employee_email == "" ? {} : { auth = "${var.resource_prefix}${var.name}/auth" },
  )
}

data "aws_availability_zones" "available" {
  count = length(var.availability_zones) > 0 ? 0 : 1
  state = "available"
}

module "network" {
  source              = "../network"
  name                = var.name
  cidr_block          = var.vpc_cidr
  availability_zones  = local.zones
  enable_nat_gateway  = var.enable_nat_gateway
  nat_gateway_per_az  = var.nat_gateway_per_az
  create_route_tables = var.create_route_tables
}

module "gateway" {
  source                      = "../gateway"
  name                        = var.name
  vpc_id                      = module.network.vpc_id
  private_subnet_ids          = module.network.private_subnet_ids
  alb_security_group_id       = module.alb.security_group_id
  listener_arn                = module.alb.listener_arn
  client_ip_header            = local.topology.client_ip_header
  enable_vpc_link             = var.enable_vpc_link
  create_security_group_rules = var.create_security_group_rules
  throttling_rate_limit       = var.api_throttling_rate_limit
  throttling_burst_limit      = var.api_throttling_burst_limit
  log_retention_days          = var.log_retention_days
}

module "alb" {
  source     = "../alb"
  name       = var.name
  vpc_id     = module.network.vpc_id
  subnet_ids = module.network.private_subnet_ids
  # The VPC link, and the services that call others through the ALB.
  ingress_security_group_ids = merge(
    { vpc-link = module.gateway.vpc_link_security_group_id },
    { for s in local.alb_clients : s => module.ecs.security_group_ids[s] },
  )
  target_security_group_ids   = module.ecs.security_group_ids
  default_target_group_arn    = var.listener_fixed_response ? null : module.ecs.target_group_arns[local.services[0]]
  create_security_group_rules = var.create_security_group_rules
  deletion_protection         = var.deletion_protection
}

module "messaging" {
  source                  = "../messaging"
  queues                  = local.topology.queues
  name_prefix             = var.resource_prefix
  sqs_managed_sse_enabled = var.sqs_managed_sse_enabled
  # Producers send to a queue, its consumers to its dead-letter queue.
  senders = {
    for q in local.topology.queues.names : q => [for s in local.services : module.iam.task_role_arns[s] if contains(local.access[s].publishes, q)]
  }
  dead_letter_senders = {
    for q in local.topology.queues.names : q => [for s in local.services : module.iam.task_role_arns[s] if contains(local.access[s].consumes, q)]
  }
  redrive_role_arns = var.queue_redrive_role_arns
}

module "data" {
  source             = "../data"
  name               = var.name
  vpc_id             = module.network.vpc_id
  private_subnet_ids = module.network.private_subnet_ids
  public_subnet_ids  = module.network.public_subnet_ids
  client_security_group_ids = merge(
    { for s in local.database_clients : s => module.ecs.security_group_ids[s] },
    var.create_rds ? { dbinit = module.ecs.db_init_security_group_id } : {},
  )
  create_rds                  = var.create_rds
  engine_version              = var.db_engine_version
  instance_class              = var.db_instance_class
  multi_az                    = var.db_multi_az
  backup_retention_days       = var.db_backup_retention_days
  deletion_protection         = var.deletion_protection
  skip_final_snapshot         = !var.deletion_protection
  publicly_accessible         = var.db_publicly_accessible
  public_ingress_cidrs        = var.db_public_ingress_cidrs
  create_security_group_rules = var.create_security_group_rules
  tables                      = local.tables
  table_prefix                = var.resource_prefix
  create_table_indexes        = var.create_table_indexes
  point_in_time_recovery      = var.point_in_time_recovery
  table_deletion_protection   = var.deletion_protection
}

module "auth_keys" {
  source          = "../auth_keys"
  name            = var.name
  create_key      = var.create_signing_key
  existing_key_id = var.existing_signing_key_id
}

module "secrets" {
  source                  = "../secrets"
  project_secret_name     = local.project_secret_name
  jwt_key_id              = module.auth_keys.key_id
  jwt_public_key_pem      = module.auth_keys.public_key_pem
  service_secrets         = local.service_secret_names
  recovery_window_in_days = var.secret_recovery_window_days
  infrastructure = {
    vpc_id                  = module.network.vpc_id
    api_id                  = module.gateway.api_id
    api_endpoint            = module.gateway.api_endpoint
    alb_arn                 = module.alb.alb_arn
    alb_dns_name            = module.alb.alb_dns_name
    listener_arn            = module.alb.listener_arn
    ecs_cluster_arn         = module.ecs.cluster_arn
    ecs_cluster_name        = module.ecs.cluster_name
    rds_host                = module.data.db_address
    rds_port                = module.data.db_port == null ? null : tostring(module.data.db_port)
    rds_database            = var.create_rds ? "postgres" : null
    rds_databases           = join(",", [for d in local.topology.databases : d.name])
    rds_user                = module.data.db_username
    rds_password_secret_arn = module.data.db_master_user_secret_arn
  }
}

module "db_roles" {
  source                  = "../db_roles"
  roles                   = local.database_roles
  password_version        = var.db_role_password_version
  recovery_window_in_days = var.secret_recovery_window_days
}

module "registry" {
  source       = "../registry"
  count        = var.create_ecr_repositories ? 1 : 0
  name         = var.name
  services     = local.image_names
  force_delete = !var.deletion_protection
}

module "iam" {
  source = "../iam"
  name   = var.name
  services = {
    for s in local.services : s => {
      log_group_arn        = module.ecs.log_group_arns[s]
      read_secret_arns     = [module.secrets.project_secret_arn]
      injected_secret_arns = local.injected_secret_arns[s]
      table_arns           = [for t in local.tables_of[s] : module.data.table_arns[t.name]]
      consume_queues = [for q in local.access[s].consumes : {
        queue_arn       = module.messaging.queue_arns[q]
        dead_letter_arn = module.messaging.dead_letter_queue_arns[q]
      }]
      publish_queue_arns    = [for q in local.access[s].publishes : module.messaging.queue_arns[q]]
      sign_key_arn          = local.access[s].sign_tokens ? module.auth_keys.key_arn : null
      ecr_repository_arns   = local.image_repository_arns[s]
      write_traces          = var.telemetry_collector
      metrics_log_group_arn = module.telemetry.metrics_log_group_arn
    }
  }
  db_init = var.create_rds ? {
    log_group_arn        = module.ecs.db_init_log_group_arn
    injected_secret_arns = local.db_init_injected_secret_arns
    ecr_repository_arns  = local.image_repository_arns["dbinit"]
  } : null
}

module "ecs" {
  source                      = "../ecs"
  name                        = var.name
  region                      = var.region
  vpc_id                      = module.network.vpc_id
  private_subnet_ids          = module.network.private_subnet_ids
  alb_security_group_id       = module.alb.security_group_id
  listener_arn                = module.alb.listener_arn
  service_names               = local.services
  routes                      = local.topology.routes
  services                    = local.tasks
  create_db_init              = var.create_rds
  db_init                     = local.db_init
  database_clients            = local.database_clients
  database_security_group_id  = module.data.db_security_group_id
  alb_clients                 = local.alb_clients
  create_services             = var.create_ecs_services
  container_insights          = var.container_insights
  create_security_group_rules = var.create_security_group_rules
  cpu_architecture            = var.cpu_architecture
  log_retention_days          = var.log_retention_days
  collector = var.telemetry_collector ? {
    image  = var.telemetry_collector_image
    config = module.telemetry.collector_config
  } : null
}

module "telemetry" {
  source                 = "../telemetry"
  name                   = var.name
  region                 = var.region
  deployment_environment = var.name
  collector              = var.telemetry_collector
  namespace              = var.metrics_namespace
  log_retention_days     = var.log_retention_days
  create_alarms          = var.create_alarms
  create_alarm_topic     = var.create_alarm_topic
  alarm_topic_arns       = var.alarm_topic_arns
  queues = {
    for q in local.topology.queues.names : q => {
      queue_name             = module.messaging.queue_names[q]
      dead_letter_queue_name = module.messaging.dead_letter_queue_names[q]
    }
  }
  load_balancer_arn_suffix      = module.alb.arn_suffix
  target_group_arn_suffixes     = module.ecs.target_group_arn_suffixes
  outbox_services               = local.outbox_services
  message_age_threshold_seconds = var.alarm_message_age_seconds
  http_5xx_threshold_percent    = var.alarm_5xx_percent
  http_5xx_min_requests         = var.alarm_5xx_min_requests
}
