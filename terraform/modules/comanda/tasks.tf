# What each task gets: the environment harness/services.go gives it locally
# (less the emulator's endpoint and the test-only speed-ups), and its
# secrets from Secrets Manager; and the database init task's.

data "aws_partition" "current" {}

locals {
  public_base_url = coalesce(var.public_base_url, module.gateway.api_endpoint)

  # Every image: one per service, and the database init's.
  image_names = concat(local.services, ["dbinit"])
  image = {
    for s in local.image_names : s => try(var.images[s], "${module.registry[0].repository_urls[s]}:${var.image_tag}", null)
  }
  # The ECR repositories each image is pulled from, which its execution
  # role may pull from and nothing else: ours, or the one an override's
  # ECR reference names; none for an image from another registry.
  image_repository_arns = {
    for s in local.image_names : s => contains(keys(var.images), s) ? [
      for m in regexall("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?/([^:@]+)", var.images[s]) :
      "arn:${data.aws_partition.current.partition}:ecr:${m[1]}:${m[0]}:repository/${m[2]}"
    ] : var.create_ecr_repositories ? [module.registry[0].repository_arns[s]] : []
  }

  # PostgreSQL over TLS, the server's certificate checked against the RDS
  # CA bundle the image carries (build/images.sh) and its name against
  # the instance's address.
  db_tls_params = "sslmode=verify-full&sslrootcert=${var.rds_ca_bundle_path}"
  # The password stays apart from the URL: pgx reads PGPASSWORD when the
  # URL has none, so it is never in a task definition.
  database_url = {
    for s in local.database_clients : s => "postgres://${local.database_roles[s].role}@${module.data.db_address}:${module.data.db_port}/${local.database_of[s]}?${local.db_tls_params}"
  }

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

  # OpenTelemetry's own settings, read by every service: export to the
  # collector beside it in the task, on the loopback it listens on, by
  # address: no name to look up (the images, built FROM scratch, bring no
  # hosts file of their own). deployment.environment is a dimension of
  # every metric, so that deployments sharing an account stay apart;
  # deployment.environment.name is the same under the current semantic
  # conventions' key. A trace is sampled where it starts and followed by
  # every service it reaches.
  telemetry_environment = var.telemetry_collector ? {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
    OTEL_RESOURCE_ATTRIBUTES    = "deployment.environment=${var.name},deployment.environment.name=${var.name}"
    OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
    OTEL_TRACES_SAMPLER_ARG     = tostring(var.trace_sample_ratio)
  } : {}

  service_environment = {
    for s in local.services : s => merge(
      local.common_environment,
      local.telemetry_environment,
      var.telemetry_collector ? { OTEL_SERVICE_NAME = s } : {},
      # Each table's name, in the variable its owner reads it from.
      { for t in local.tables_of[s] : t.env => module.data.table_names[t.name] },
      contains(local.database_clients, s) ? { DATABASE_URL = local.database_url[s] } : {},
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
      # Its own role's password, never the master's.
      contains(local.database_clients, s) ? { PGPASSWORD = "${module.db_roles.secret_arns[s]}:password::" } : {},
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
      contains(local.database_clients, s) ? [module.db_roles.secret_arns[s]] : [],
      [lookup(module.secrets.service_secret_arns, s, null)],
    )))
  }

  tasks = {
    for s in local.services : s => {
      image              = local.image[s]
      cpu                = coalesce(try(var.service_overrides[s].cpu, null), var.task_cpu)
      memory             = coalesce(try(var.service_overrides[s].memory, null), var.task_memory)
      desired_count      = coalesce(try(var.service_overrides[s].desired_count, null), var.desired_count)
      environment        = local.service_environment[s]
      secrets            = local.service_secrets[s]
      task_role_arn      = module.iam.task_role_arns[s]
      execution_role_arn = module.iam.execution_role_arns[s]
    }
  }

  # The database init task (services/dbinit): the master user, in the
  # maintenance database, with every owner role's password to set.
  db_init = var.create_rds ? {
    image              = local.image["dbinit"]
    execution_role_arn = module.iam.execution_role_arns["dbinit"]
    environment = {
      DATABASE_URL  = "postgres://${module.data.db_username}@${module.data.db_address}:${module.data.db_port}/postgres?${local.db_tls_params}"
      DBINIT_OWNERS = join(",", [for s, db in local.database_of : "${db}:${local.database_roles[s].role}"])
      LOG_FORMAT    = "json"
      LOG_LEVEL     = var.log_level
    }
    secrets = merge(
      { PGPASSWORD = "${module.data.db_master_user_secret_arn}:password::" },
      # DBINIT_PASSWORD_<ROLE>, as dbinit.PasswordVariable names it.
      { for s, r in local.database_roles : "DBINIT_PASSWORD_${upper(r.role)}" => "${module.db_roles.secret_arns[s]}:password::" },
    )
  } : null
  db_init_injected_secret_arns = var.create_rds ? concat(
    [module.data.db_master_user_secret_arn],
    [for s in keys(local.database_roles) : module.db_roles.secret_arns[s]],
  ) : []
}
