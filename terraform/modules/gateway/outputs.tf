output "api_id" {
  value = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "The public base URL (the $default stage is served at the root)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "vpc_link_id" {
  value = var.enable_vpc_link ? aws_apigatewayv2_vpc_link.this[0].id : null
}

output "vpc_link_security_group_id" {
  value = aws_security_group.vpc_link.id
}

output "access_log_group_name" {
  value = aws_cloudwatch_log_group.access.name
}

output "integration_request_parameters" {
  description = "What the integration sets on every request to the ALB (empty without the VPC link)."
  value       = var.enable_vpc_link ? aws_apigatewayv2_integration.alb[0].request_parameters : {}
}
