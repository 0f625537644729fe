# What each service's task gets: the environment harness/services.go gives
# it locally (less the emulator's endpoint and the test-only speed-ups),
# and its secrets from Secrets Manager.

locals {
  db_password_value_from = var.create_rds ? "${module.data.db_master_user_secret_arn}:password::" : null
  public_base_url        = coalesce(var.public_base_url, module.gateway.api_endpoint)

  common_environment = {
    ADDR              = ":8080"
    AWS_REGION        = var.region
    PROJECT_SECRET_ID = local.project_secret_name
    QUEUE_PREFIX      = var.resource_prefix
    LOG_FORMAT        = "json"
    LOG_LEVEL         = var.log_level
    JWT_ISSUER        = var.jwt_issuer
    JWT_AUDIENCE      = var.jwt_audience
  }

  service_environment = {
    for s in local.services : s => merge(
      local.common_environment,
      # Each table's name, in the variable its owner reads it from.
      { for t in local.tables_of[s] : t.env => module.data.table_names[t.name] },
      # The password comes apart, as PGPASSWORD (pgx reads it when the URL has none).
      contains(keys(local.database_of), s) && var.create_rds ? {
        DATABASE_URL = "postgres://${module.data.db_username}@${module.data.db_address}:${module.data.db_port}/${local.database_of[s]}?sslmode=require"
      } : {},
      # Services call each other through the internal ALB (order -> catalog).
      { for callee in local.access[s].calls : "${upper(callee)}_URL" => "http://${module.alb.alb_dns_name}" },
      s == "payment" ? {
        MERCADOPAGO_BASE_URL = var.mercadopago_base_url
        WEBHOOK_URL          = "${local.public_base_url}/payment/webhook"
      } : {},
      s == "auth" && var.bootstrap_employee_email != "" ? {
        BOOTSTRAP_EMPLOYEE_EMAIL = var.bootstrap_employee_email
      } : {},
    )
  }

  service_secrets = {
    for s in local.services : s => merge(
      contains(keys(local.database_of), s) && var.create_rds ? { PGPASSWORD = local.db_password_value_from } : {},
      s == "payment" ? {
        MERCADOPAGO_ACCESS_TOKEN   = "${module.secrets.service_secret_arns.payment}:mercadopago_access_token::"
        MERCADOPAGO_WEBHOOK_SECRET = "${module.secrets.service_secret_arns.payment}:mercadopago_webhook_secret::"
      } : {},
      s == "auth" && var.bootstrap_employee_email != "" ? {
        BOOTSTRAP_EMPLOYEE_PASSWORD_HASH = "${module.secrets.service_secret_arns.auth}:bootstrap_employee_password_hash::"
      } : {},
    )
  }

  # The secrets ECS reads to start a task: whole-secret ARNs, without the
  # ":json-key::" suffix of valueFrom.
  injected_secret_arns = {
    for s in local.services : s => distinct(compact(concat(
      contains(keys(local.database_of), s) && var.create_rds ? [module.data.db_master_user_secret_arn] : [],
      [lookup(module.secrets.service_secret_arns, s, null)],
    )))
  }

  tasks = {
    for s in local.services : s => {
      image              = try(var.images[s], "${module.registry[0].repository_urls[s]}:${var.image_tag}")
      cpu                = coalesce(try(var.service_overrides[s].cpu, null), var.task_cpu)
      memory             = coalesce(try(var.service_overrides[s].memory, null), var.task_memory)
      desired_count      = coalesce(try(var.service_overrides[s].desired_count, null), var.desired_count)
      environment        = local.service_environment[s]
      secrets            = local.service_secrets[s]
      task_role_arn      = module.iam.task_role_arns[s]
      execution_role_arn = module.iam.execution_role_arns[s]
      database = contains(keys(local.database_of), s) && var.create_rds ? {
        name                = local.database_of[s]
        host                = module.data.db_address
        port                = module.data.db_port
        user                = module.data.db_username
        password_value_from = local.db_password_value_from
      } : null
    }
  }
}
