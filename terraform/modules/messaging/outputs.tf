output "queue_arns" {
  description = "topology name => queue ARN."
  value       = { for k, q in aws_sqs_queue.this : k => q.arn }
}

output "queue_names" {
  description = "topology name => the queue's name as made (with the prefix): its QueueName dimension."
  value       = { for k, q in aws_sqs_queue.this : k => q.name }
}

output "dead_letter_queue_names" {
  value = { for k, q in aws_sqs_queue.dead_letter : k => q.name }
}

output "queue_urls" {
  value = { for k, q in aws_sqs_queue.this : k => q.url }
}

output "dead_letter_queue_arns" {
  description = "topology name => its dead-letter queue's ARN."
  value       = { for k, q in aws_sqs_queue.dead_letter : k => q.arn }
}

output "dead_letter_queue_urls" {
  value = { for k, q in aws_sqs_queue.dead_letter : k => q.url }
}

output "queue_policies" {
  description = "Queue name (dead-letter queues included) => its policy document."
  value       = { for k, p in aws_sqs_queue_policy.this : k => p.policy }
}
