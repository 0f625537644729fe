output "secret_arns" {
  description = "Service name => ARN of its role's secret (JSON keys username and password)."
  value       = { for s, secret in aws_secretsmanager_secret.role : s => secret.arn }
  # Whoever reads the secret needs the version holding the password.
  depends_on = [aws_secretsmanager_secret_version.role]
}

output "secret_names" {
  value = { for s, secret in aws_secretsmanager_secret.role : s => secret.name }
}
