output "api_endpoint" {
  description = "The public base URL of the API."
  value       = module.comanda.api_endpoint
}

output "ecr_repository_urls" {
  description = "Where to push each service's image."
  value       = module.comanda.ecr_repository_urls
}

output "service_secret_names" {
  description = "Secrets an operator fills before the services can start (see README)."
  value       = module.comanda.service_secret_names
}

output "project_secret_name" {
  value = module.comanda.project_secret_name
}

output "ecs_cluster_name" {
  value = module.comanda.ecs_cluster_name
}

output "ecs_services" {
  value = module.comanda.ecs_services
}

output "listener_rules" {
  value = module.comanda.listener_rules
}

output "db_master_user_secret_arn" {
  value = module.comanda.db_master_user_secret_arn
}

output "database_secret_names" {
  description = "Service name => the secret with its database role's password."
  value       = module.comanda.database_secret_names
}

output "db_init_run_task" {
  description = "Runs the database init task once (see README), printing its task ARN."
  value       = module.comanda.db_init_run_task
}

output "task_policies" {
  value = module.comanda.task_policies
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm notifies: subscribe to it (README: Telemetry)."
  value       = module.comanda.alarm_topic_arn
}

output "alarm_names" {
  value = sort(keys(module.comanda.alarms))
}

output "metrics_log_group_name" {
  value = module.comanda.metrics_log_group_name
}
