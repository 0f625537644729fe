output "alb_arn" {
  value = aws_lb.this.arn
}

output "arn_suffix" {
  description = "app/<name>/<id>: the LoadBalancer dimension of the ALB's metrics."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  value = aws_lb.this.dns_name
}

output "listener_arn" {
  value = aws_lb_listener.http.arn
}

output "security_group_id" {
  value = aws_security_group.alb.id
}

output "ingress_sources" {
  description = "Who may reach the listener: the names of ingress_security_group_ids."
  value       = sort(keys(var.ingress_security_group_ids))
}

output "egress_targets" {
  description = "Where the ALB may send: the names of target_security_group_ids."
  value       = sort(keys(var.target_security_group_ids))
}
