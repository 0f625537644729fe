output "repository_urls" {
  value = { for s, r in aws_ecr_repository.service : s => r.repository_url }
}

output "repository_arns" {
  value = { for s, r in aws_ecr_repository.service : s => r.arn }
}
