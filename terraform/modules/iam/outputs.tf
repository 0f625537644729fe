output "task_role_arns" {
  value = { for s, r in aws_iam_role.task : s => r.arn }
}

output "execution_role_arns" {
  description = "Service name (and dbinit) => its execution role."
  value       = { for s, r in aws_iam_role.execution : s => r.arn }
}

output "task_policies" {
  description = "Service name => its task role's policy document, for review."
  value       = { for s, p in aws_iam_role_policy.task : s => p.policy }
}

output "execution_policies" {
  value = { for s, p in aws_iam_role_policy.execution : s => p.policy }
}

output "assume_role_policy" {
  description = "The trust policy of every task and execution role."
  value       = local.assume_role
}
