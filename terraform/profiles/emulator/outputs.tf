# What the smoke's Go check compares with topology.json and reads back
# from the emulator.

output "listener_rules" {
  value = module.comanda.listener_rules
}

output "queue_urls" {
  value = module.comanda.queue_urls
}

output "dead_letter_queue_urls" {
  value = module.comanda.dead_letter_queue_urls
}

output "table_names" {
  value = module.comanda.table_names
}

output "project_secret_name" {
  value = module.comanda.project_secret_name
}

output "jwt_key_id" {
  value = module.comanda.jwt_key_id
}

output "resource_prefix" {
  value = var.resource_prefix
}
