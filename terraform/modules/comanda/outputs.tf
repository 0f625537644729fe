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
  value = module.data.db_master_user_secret_arn
}

output "task_policies" {
  description = "Service name => its task role's policy, to review least privilege."
  value       = module.iam.task_policies
}

output "execution_policies" {
  description = "Service name => its execution role's policy (image pull, logs, injected secrets)."
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
