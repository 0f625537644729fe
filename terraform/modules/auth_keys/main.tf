# The JWT signing key: RSA 2048 in KMS. Its private half never leaves KMS
# (not in state, not in a secret): the auth service signs through kms:Sign.
# Its public half goes into the project secret, from which every service
# verifies tokens itself.

resource "aws_kms_key" "jwt" {
  count                    = var.create_key ? 1 : 0
  description              = "${var.name}: signs the API's RS256 access tokens"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
  deletion_window_in_days  = var.deletion_window_in_days
}

resource "aws_kms_alias" "jwt" {
  count         = var.create_key ? 1 : 0
  name          = "alias/${var.name}-jwt"
  target_key_id = aws_kms_key.jwt[0].key_id
}

data "aws_kms_key" "existing" {
  count  = var.create_key ? 0 : 1
  key_id = var.existing_key_id

  lifecycle {
    postcondition {
      condition     = self.key_spec == "RSA_2048" && self.key_usage == "SIGN_VERIFY"
      error_message = "existing_key_id must name an RSA_2048 SIGN_VERIFY key."
    }
  }
}

locals {
  key_id  = var.create_key ? aws_kms_key.jwt[0].key_id : data.aws_kms_key.existing[0].id
  key_arn = var.create_key ? aws_kms_key.jwt[0].arn : data.aws_kms_key.existing[0].arn
}

data "aws_kms_public_key" "jwt" {
  key_id = local.key_id
}
