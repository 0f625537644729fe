output "api_endpoint" {
  description = "The public base URL of the API."
  value       = module.gateway.api_endpoint
}

output "api_id" {
  value = module.gateway.api_id
}

output "vpc_id" {
  value = module.network.vpc_id
}

output "alb_dns_name" {
  value = module.alb.alb_dns_name
}

output "listener_arn" {
  value = module.alb.listener_arn
}

output "listener_rules" {
  description = "Route prefix => priority, service and path patterns of its listener rule, as made."
  value       = module.ecs.listener_rules
}

output "ecs_cluster_name" {
  value = module.ecs.cluster_name
}

output "ecs_services" {
  value = module.ecs.service_names
}

output "project_secret_name" {
  value = module.secrets.project_secret_name
}

output "service_secret_names" {
  description = "Service name => the secret an operator must fill (see terraform/README.md)."
  value       = local.service_secret_names
}

output "queue_urls" {
  value = module.messaging.queue_urls
}

output "dead_letter_queue_urls" {
  value = module.messaging.dead_letter_queue_urls
}

output "table_names" {
  value = module.data.table_names
}

output "jwt_key_id" {
  value = module.auth_keys.key_id
}

output "ecr_repository_urls" {
  value = var.create_ecr_repositories ? module.registry[0].repository_urls : {}
}

output "db_address" {
  value = module.data.db_address
}

output "db_master_user_secret_arn" {
  description = "The RDS-managed secret of the master user, which only the database init task reads."
  value       = module.data.db_master_user_secret_arn
}

output "database_secret_names" {
  description = "Service name => the secret holding its database role's name and password."
  value       = module.db_roles.secret_names
}

output "db_init_run_task" {
  description = "The command that runs the database init task once, printing its task ARN (null without RDS or ECS services)."
  value       = module.ecs.db_init_run_task
}

output "db_init_container_definitions" {
  value = module.ecs.db_init_container_definitions
}

output "db_init_execution_policy" {
  value = var.create_rds ? module.iam.execution_policies["dbinit"] : null
}

output "db_init_egress" {
  value = module.ecs.db_init_egress
}

output "task_egress" {
  description = "Service name => where its tasks may send, by the security group rules made."
  value       = module.ecs.egress
}

output "alb_egress_targets" {
  value = module.alb.egress_targets
}

output "role_trust_policy" {
  description = "Who may assume the task and execution roles."
  value       = module.iam.assume_role_policy
}

output "queue_policies" {
  value = module.messaging.queue_policies
}

output "table_ttl" {
  value = module.data.table_ttl
}

output "api_integration_request_parameters" {
  value = module.gateway.integration_request_parameters
}

output "task_policies" {
  description = "Service name => its task role's policy, to review least privilege."
  value       = module.iam.task_policies
}

output "execution_policies" {
  description = "Service name (and dbinit) => its execution role's policy (image pull, logs, injected secrets)."
  value       = module.iam.execution_policies
}

output "container_definitions" {
  description = "Service name => its task's containers."
  value       = module.ecs.container_definitions
}

output "alb_ingress_sources" {
  value = module.alb.ingress_sources
}

output "private_subnet_ids" {
  value = module.network.private_subnet_ids
}

output "public_subnet_ids" {
  value = module.network.public_subnet_ids
}

output "nat_gateway_ids" {
  value = module.network.nat_gateway_ids
}

output "db_subnet_ids" {
  value = module.data.db_subnet_ids
}

output "db_publicly_accessible" {
  value = module.data.db_publicly_accessible
}

output "db_manages_master_password" {
  value = module.data.db_manages_master_password
}

output "project_secret_fields" {
  value     = module.secrets.project_secret_fields
  sensitive = true
}

output "metrics_log_group_name" {
  description = "Where the collectors write the services' metrics (EMF records); null without the collector."
  value       = module.telemetry.metrics_log_group_name
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm notifies; subscribe to it (terraform/README.md)."
  value       = module.telemetry.alarm_topic_arn
}

output "alarms" {
  description = "Alarm name => what it watches, its threshold and whom it notifies."
  value       = module.telemetry.alarms
}
