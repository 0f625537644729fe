# The project secret: what every service reads at start (jwt_key_id and
# jwt_public_key_pem, the names token.LoadSecret expects), plus the ids and
# endpoints of the deployment, for operators and tools. It holds nothing
# secret: the signing key stays in KMS and the database password in the
# RDS-managed secret, named here by ARN.
#
# Beside it, one secret per service that needs credentials Terraform must
# not hold (Mercado Pago's token, the bootstrap employee's password hash):
# made empty here, given a value by an operator (see terraform/README.md).

resource "aws_secretsmanager_secret" "project" {
  name                    = var.project_secret_name
  description             = "Comanda: JWT verification key and deployment ids, read by every service"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "project" {
  secret_id = aws_secretsmanager_secret.project.id
  secret_string = jsonencode(merge(var.infrastructure, {
    jwt_key_id         = var.jwt_key_id
    jwt_public_key_pem = var.jwt_public_key_pem
  }))
}

resource "aws_secretsmanager_secret" "service" {
  for_each                = var.service_secrets
  name                    = each.value
  description             = "Comanda ${each.key}: credentials put in by an operator, injected into the ${each.key} task"
  recovery_window_in_days = var.recovery_window_in_days
}
