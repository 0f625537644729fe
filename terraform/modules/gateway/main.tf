# The public entry: an HTTP API whose one route, ANY /{proxy+}, goes
# through a VPC link to the internal ALB's listener. CORS is answered here,
# open to every origin, method and header, as the local gateway does.
#
# The services learn the client's address from one header only, which the
# integration sets on every request from the address API Gateway saw,
# overwriting whatever the client sent under that name. Nothing else can
# reach the internal ALB, so nothing else can set it.

locals {
  request_parameters = {
    "overwrite:header.${var.client_ip_header}" = "$context.identity.sourceIp"
  }
}

resource "aws_security_group" "vpc_link" {
  name        = "${var.name}-vpc-link"
  description = "API Gateway VPC link: egress to the internal ALB only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-vpc-link" }
}

resource "aws_vpc_security_group_egress_rule" "vpc_link_to_alb" {
  count                        = var.create_security_group_rules ? 1 : 0
  security_group_id            = aws_security_group.vpc_link.id
  description                  = "HTTP to the internal ALB"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = var.alb_security_group_id
}

resource "aws_apigatewayv2_vpc_link" "this" {
  count              = var.enable_vpc_link ? 1 : 0
  name               = var.name
  subnet_ids         = var.private_subnet_ids
  security_group_ids = [aws_security_group.vpc_link.id]
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "Comanda public API: everything goes to the internal ALB"

  cors_configuration {
    allow_origins  = ["*"]
    allow_methods  = ["*"]
    allow_headers  = ["*"]
    expose_headers = var.cors_expose_headers
    max_age        = 3600
  }
}

resource "aws_apigatewayv2_integration" "alb" {
  count                  = var.enable_vpc_link ? 1 : 0
  api_id                 = aws_apigatewayv2_api.this.id
  description            = "The internal ALB, path and query unchanged"
  integration_type       = "HTTP_PROXY"
  integration_method     = "ANY"
  integration_uri        = var.listener_arn
  connection_type        = "VPC_LINK"
  connection_id          = aws_apigatewayv2_vpc_link.this[0].id
  payload_format_version = "1.0"

  request_parameters = local.request_parameters
}

resource "aws_apigatewayv2_route" "proxy" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "ANY /{proxy+}"
  target    = var.enable_vpc_link ? "integrations/${aws_apigatewayv2_integration.alb[0].id}" : null
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      ip                 = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      httpMethod         = "$context.httpMethod"
      path               = "$context.path"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
    })
  }

  default_route_settings {
    throttling_burst_limit = var.throttling_burst_limit
    throttling_rate_limit  = var.throttling_rate_limit
  }
}
