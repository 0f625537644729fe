output "db_address" {
  value = var.create_rds ? aws_db_instance.this[0].address : null
}

output "db_port" {
  value = var.create_rds ? aws_db_instance.this[0].port : null
}

output "db_username" {
  value = var.create_rds ? aws_db_instance.this[0].username : null
}

output "db_master_user_secret_arn" {
  description = "The RDS-managed secret holding the master user's password (JSON keys username and password)."
  value       = var.create_rds ? aws_db_instance.this[0].master_user_secret[0].secret_arn : null
}

output "db_security_group_id" {
  value = var.create_rds ? aws_security_group.db[0].id : null
}

output "table_names" {
  description = "topology name => table name."
  value       = { for k, t in aws_dynamodb_table.this : k => t.name }
}

output "table_arns" {
  value = { for k, t in aws_dynamodb_table.this : k => t.arn }
}

output "db_subnet_ids" {
  description = "The subnets RDS is placed in."
  value       = var.create_rds ? aws_db_subnet_group.this[0].subnet_ids : []
}

output "db_publicly_accessible" {
  value = var.create_rds ? aws_db_instance.this[0].publicly_accessible : null
}

output "db_manages_master_password" {
  value = var.create_rds ? aws_db_instance.this[0].manage_master_user_password : null
}

output "table_ttl" {
  description = "topology name => its time-to-live attribute (tables without one are left out)."
  value       = { for k, t in aws_dynamodb_table.this : k => one(t.ttl).attribute_name if length(t.ttl) > 0 && try(one(t.ttl).enabled, false) }
}
