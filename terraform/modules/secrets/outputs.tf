output "project_secret_arn" {
  value = aws_secretsmanager_secret.project.arn
}

output "project_secret_name" {
  value = aws_secretsmanager_secret.project.name
}

output "service_secret_arns" {
  description = "Service name => ARN of its operator-filled secret."
  value       = { for s, secret in aws_secretsmanager_secret.service : s => secret.arn }
}

output "project_secret_fields" {
  description = "The project secret's field names."
  value       = sort(keys(jsondecode(aws_secretsmanager_secret_version.project.secret_string)))
  sensitive   = true
}
