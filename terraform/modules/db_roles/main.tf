# One secret per service that owns a PostgreSQL database: the name and
# password of the role it logs in as. The database init task
# (services/dbinit) sets the password in PostgreSQL; ECS injects it into
# the service's task as PGPASSWORD.
#
# The password is written with a write-only argument, so it is in no plan
# and no state. It is drawn from two uuid() values (crypto/rand, 122
# random bits each) rather than the provider's ephemeral
# aws_secretsmanager_random_password: terraform test's mock providers
# cannot hold an ephemeral resource type at all, and the data source of
# the same name would keep the password in state.

resource "aws_secretsmanager_secret" "role" {
  for_each                = var.roles
  name                    = each.value.secret_name
  description             = "Comanda ${each.key}: the ${each.value.role} PostgreSQL role's password, set in PostgreSQL by the database init task"
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "role" {
  for_each  = var.roles
  secret_id = aws_secretsmanager_secret.role[each.key].id
  secret_string_wo = jsonencode({
    username = each.value.role
    # 64 hexadecimal digits: nothing to quote or escape wherever an
    # operator pastes one.
    password = "${replace(uuid(), "-", "")}${replace(uuid(), "-", "")}"
  })
  # Only a new version number writes a new password (then the init task
  # must run and the service be redeployed: terraform/README.md).
  secret_string_wo_version = var.password_version
}
