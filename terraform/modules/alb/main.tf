# The internal ALB behind the VPC link. Its listener's rules (one per route
# of topology.json) live with the services in the ecs module; here is the
# listener and what it does with a path no route claims.

# (Its egress is narrower than its description says: only to the
# services' groups. Changing a description replaces the group.)
resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Internal ALB: HTTP in from the VPC link (and calling services), out to the VPC only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  for_each                     = var.create_security_group_rules ? var.ingress_security_group_ids : {}
  security_group_id            = aws_security_group.alb.id
  description                  = "HTTP from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 80
  to_port                      = 80
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  for_each                     = var.create_security_group_rules ? var.target_security_group_ids : {}
  security_group_id            = aws_security_group.alb.id
  description                  = "The ${each.key} containers"
  ip_protocol                  = "tcp"
  from_port                    = var.target_port
  to_port                      = var.target_port
  referenced_security_group_id = each.value
}

resource "aws_lb" "this" {
  name                       = var.name
  internal                   = true
  load_balancer_type         = "application"
  subnets                    = var.subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  idle_timeout               = var.idle_timeout
  enable_deletion_protection = var.deletion_protection
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = var.default_target_group_arn == null ? "fixed-response" : "forward"
    target_group_arn = var.default_target_group_arn

    dynamic "fixed_response" {
      for_each = var.default_target_group_arn == null ? [1] : []
      content {
        content_type = "application/json"
        status_code  = "404"
        message_body = jsonencode({ error = { code = "not_found", message = "no route for this path" } })
      }
    }
  }
}
