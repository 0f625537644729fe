# Offline tests of modules/comanda through the deployment root, with a mock
# AWS provider (make tf-check runs them): the wiring no emulator can show,
# such as what each task gets and what each role may do. Mocked ARNs are
# fixed where an assertion tells resources apart.

mock_provider "aws" {
  mock_data "aws_availability_zones" {
    defaults = { names = ["us-east-1a", "us-east-1b", "us-east-1c"] }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_kms_public_key" {
    defaults = { public_key_pem = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-4cd3-8f90-1234567890ab", key_id = "1234abcd-12ab-4cd3-8f90-1234567890ab" }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/comanda/0123456789abcdef"
      arn_suffix = "app/comanda/0123456789abcdef"
      dns_name   = "internal-comanda-1.us-east-1.elb.amazonaws.com"
    }
  }
  mock_resource "aws_lb_listener" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/comanda/0123456789abcdef/0123456789abcdef" }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = { api_endpoint = "https://abc123.execute-api.us-east-1.amazonaws.com" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/comanda/mock" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:us-east-1:123456789012:comanda-alarms" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { arn = "arn:aws:ecr:us-east-1:123456789012:repository/comanda/mock", repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/comanda/mock" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address            = "comanda.abc.us-east-1.rds.amazonaws.com"
      port               = 5432
      master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock", kms_key_id = "", secret_status = "active" }]
    }
  }
}

override_resource {
  target = module.comanda.module.db_roles.aws_secretsmanager_secret.role["catalog"]
  values = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/catalog-AbCdEf" }
}

override_resource {
  target = module.comanda.module.db_roles.aws_secretsmanager_secret.role["order"]
  values = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/order-AbCdEf" }
}

override_resource {
  target = module.comanda.module.iam.aws_iam_role.task["order"]
  values = { arn = "arn:aws:iam::123456789012:role/comanda-order-task" }
}

override_resource {
  target = module.comanda.module.iam.aws_iam_role.task["payment"]
  values = { arn = "arn:aws:iam::123456789012:role/comanda-payment-task" }
}

override_resource {
  target = module.comanda.module.iam.aws_iam_role.task["production"]
  values = { arn = "arn:aws:iam::123456789012:role/comanda-production-task" }
}

override_resource {
  target = module.comanda.module.registry[0].aws_ecr_repository.service["catalog"]
  values = {
    arn            = "arn:aws:ecr:us-east-1:123456789012:repository/comanda/catalog"
    repository_url = "123456789012.dkr.ecr.us-east-1.amazonaws.com/comanda/catalog"
  }
}

override_resource {
  target = module.comanda.module.data.aws_security_group.db[0]
  values = { id = "sg-db" }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.db_init["dbinit"]
  values = { id = "sg-dbinit" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["auth"]
  values = {
    arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-auth/0123456789abcdef"
    arn_suffix = "targetgroup/comanda-auth/0123456789abcdef"
  }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["auth"]
  values = { id = "sg-auth" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["catalog"]
  values = {
    arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-catalog/0123456789abcdef"
    arn_suffix = "targetgroup/comanda-catalog/0123456789abcdef"
  }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["catalog"]
  values = { id = "sg-catalog" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["order"]
  values = {
    arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-order/0123456789abcdef"
    arn_suffix = "targetgroup/comanda-order/0123456789abcdef"
  }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["order"]
  values = { id = "sg-order" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["payment"]
  values = {
    arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-payment/0123456789abcdef"
    arn_suffix = "targetgroup/comanda-payment/0123456789abcdef"
  }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["payment"]
  values = { id = "sg-payment" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["production"]
  values = {
    arn        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-production/0123456789abcdef"
    arn_suffix = "targetgroup/comanda-production/0123456789abcdef"
  }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["production"]
  values = { id = "sg-production" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.this["payment-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:payment-service-queue" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.dead_letter["payment-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:payment-service-queue-dlq" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.this["order-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:order-service-queue" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.dead_letter["order-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:order-service-queue-dlq" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.this["production-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:production-service-queue" }
}

override_resource {
  target = module.comanda.module.messaging.aws_sqs_queue.dead_letter["production-service-queue"]
  values = { arn = "arn:aws:sqs:us-east-1:123456789012:production-service-queue-dlq" }
}

override_resource {
  target = module.comanda.module.data.aws_dynamodb_table.this["customers"]
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/customers" }
}

override_resource {
  target = module.comanda.module.data.aws_dynamodb_table.this["payments"]
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/payments" }
}

override_resource {
  target = module.comanda.module.data.aws_dynamodb_table.this["kitchen-orders"]
  values = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/kitchen-orders" }
}

override_resource {
  target = module.comanda.module.secrets.aws_secretsmanager_secret.project
  values = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/project-AbCdEf" }
}

override_resource {
  target = module.comanda.module.secrets.aws_secretsmanager_secret.service["auth"]
  values = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/auth-AbCdEf" }
}

override_resource {
  target = module.comanda.module.secrets.aws_secretsmanager_secret.service["payment"]
  values = { arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/payment-AbCdEf" }
}

override_resource {
  target = module.comanda.module.telemetry.aws_cloudwatch_log_group.metrics[0]
  values = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/comanda/metrics" }
}

override_resource {
  target = module.comanda.module.gateway.aws_security_group.vpc_link
  values = { id = "sg-vpc-link" }
}

override_resource {
  target = module.comanda.module.alb.aws_security_group.alb
  values = { id = "sg-alb" }
}

variables {
  bootstrap_employee_email = "staff@example.com"
  image_tag                = "abc1234"
}

run "defaults" {
  command = apply

  # One listener rule per route of topology.json, "prefix" and "prefix/*",
  # at the route's priority, forwarding to the route's service.
  assert {
    condition = jsonencode(module.comanda.listener_rules) == jsonencode({
      for r in jsondecode(file("../services/topology/topology.json")).routes :
      r.prefix => { path_patterns = [r.prefix, "${r.prefix}/*"], priority = r.priority, service = r.service }
    })
    error_message = "listener rules differ from topology.json: ${jsonencode(module.comanda.listener_rules)}"
  }

  # What harness/services.go gives each service, less the emulator's endpoint.
  assert {
    condition = alltrue([
      for s, extra in {
        auth       = ["BOOTSTRAP_EMPLOYEE_EMAIL", "CUSTOMERS_TABLE"]
        catalog    = ["DATABASE_URL"]
        order      = ["CATALOG_URL", "DATABASE_URL"]
        payment    = ["MERCADOPAGO_BASE_URL", "PAYMENTS_TABLE", "WEBHOOK_URL"]
        production = ["KITCHEN_TABLE"]
        } : sort([for e in one([for c in module.comanda.container_definitions[s] : c if c.name == s]).environment : e.name]) == sort(concat(extra,
          ["ADDR", "AWS_REGION", "JWT_AUDIENCE", "JWT_ISSUER", "LOG_FORMAT", "LOG_LEVEL", "PROJECT_SECRET_ID", "QUEUE_PREFIX"],
          ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"],
      ))
    ])
    error_message = "a service's environment is not what the harness gives it"
  }

  assert {
    condition = alltrue([
      for s, want in {
        auth       = ["BOOTSTRAP_EMPLOYEE_PASSWORD_HASH"]
        catalog    = ["PGPASSWORD"]
        order      = ["PGPASSWORD"]
        payment    = ["MERCADOPAGO_ACCESS_TOKEN", "MERCADOPAGO_WEBHOOK_SECRET"]
        production = []
      } : jsonencode(sort([for e in try(one([for c in module.comanda.container_definitions[s] : c if c.name == s]).secrets, []) : e.name])) == jsonencode(want)
    ])
    error_message = "a service's secrets are not the ones it needs"
  }

  # Every task: its service's container, then the OpenTelemetry
  # collector (the database init is a task of its own).
  assert {
    condition     = alltrue([for s, cs in module.comanda.container_definitions : cs[*].name == [s, "otel-collector"]]) && length(module.comanda.container_definitions) == 5
    error_message = "every task has its service's container and the collector: ${jsonencode({ for s, cs in module.comanda.container_definitions : s => cs[*].name })}"
  }

  # catalog and order log in as their own roles, over TLS checked against
  # the RDS CA bundle in the image, with their own role's password.
  assert {
    condition = alltrue([
      for s, db in { catalog = "catalog", order = "orders" } :
      one([for e in module.comanda.container_definitions[s][0].environment : e.value if e.name == "DATABASE_URL"]) ==
      "postgres://${s}@comanda.abc.us-east-1.rds.amazonaws.com:5432/${db}?sslmode=verify-full&sslrootcert=/etc/ssl/rds/global-bundle.pem" &&
      one([for e in module.comanda.container_definitions[s][0].secrets : e.valueFrom if e.name == "PGPASSWORD"]) ==
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/${s}-AbCdEf:password::"
    ])
    error_message = "catalog and order: their own role, database and password, sslmode=verify-full"
  }

  assert {
    condition = alltrue(flatten([
      for s, cs in module.comanda.container_definitions : [for e in cs[0].environment : e.name != "TRUSTED_PROXY_HOPS"]
    ]))
    error_message = "the client's address comes from the API's header only; no proxy hops to trust"
  }

  assert {
    condition     = one([for e in module.comanda.container_definitions["payment"][0].environment : e.value if e.name == "WEBHOOK_URL"]) == "https://abc123.execute-api.us-east-1.amazonaws.com/payment/webhook"
    error_message = "payment's WEBHOOK_URL must be the public API's /payment/webhook"
  }

  # Least privilege, service by service.
  assert {
    condition     = jsondecode(module.comanda.task_policies["catalog"]).Statement[*].Sid == ["ReadProjectSecret", "WriteTraces", "WriteMetrics"]
    error_message = "catalog needs only the project secret (and its collector, its traces and metrics): ${module.comanda.task_policies["catalog"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["auth"]).Statement[*].Sid == ["ReadProjectSecret", "OwnTables", "SignTokens", "WriteTraces", "WriteMetrics"] &&
      jsondecode(module.comanda.task_policies["auth"]).Statement[1].Resource == ["arn:aws:dynamodb:us-east-1:123456789012:table/customers", "arn:aws:dynamodb:us-east-1:123456789012:table/customers/index/*"] &&
      jsondecode(module.comanda.task_policies["auth"]).Statement[2].Action == ["kms:Sign"]
    )
    error_message = "auth: its customers table and kms:Sign: ${module.comanda.task_policies["auth"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["payment"]).Statement[*].Sid == ["ReadProjectSecret", "OwnTables", "ConsumeOwnQueues", "DeadLetterOwnQueues", "PublishEvents", "WriteTraces", "WriteMetrics"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[1].Resource[0] == "arn:aws:dynamodb:us-east-1:123456789012:table/payments" &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[2].Resource == ["arn:aws:sqs:us-east-1:123456789012:payment-service-queue"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[3].Resource == ["arn:aws:sqs:us-east-1:123456789012:payment-service-queue-dlq"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[4].Resource == ["arn:aws:sqs:us-east-1:123456789012:order-service-queue"]
    )
    error_message = "payment: its table, receive from its queue, send to the order queue: ${module.comanda.task_policies["payment"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["order"]).Statement[*].Sid == ["ReadProjectSecret", "ConsumeOwnQueues", "DeadLetterOwnQueues", "PublishEvents", "WriteTraces", "WriteMetrics"] &&
      jsonencode(sort(jsondecode(module.comanda.task_policies["order"]).Statement[3].Resource)) == jsonencode(["arn:aws:sqs:us-east-1:123456789012:payment-service-queue", "arn:aws:sqs:us-east-1:123456789012:production-service-queue"])
    )
    error_message = "order: its queue, send to payment and production: ${module.comanda.task_policies["order"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.execution_policies["payment"]).Statement[3].Resource == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/payment-AbCdEf"] &&
      jsondecode(module.comanda.execution_policies["catalog"]).Statement[3].Resource == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/catalog-AbCdEf"] &&
      length(jsondecode(module.comanda.execution_policies["production"]).Statement) == 3
    )
    error_message = "execution roles read only the secrets their task injects"
  }

  # The master user's password is for the init task alone.
  assert {
    condition = alltrue([
      for s, p in module.comanda.execution_policies : !strcontains(p, "rds!db-mock") if s != "dbinit"
    ])
    error_message = "no service's task may get the master user's password"
  }

  # Images are pulled from the task's own repository only; only the
  # registry login, which has no resource, is allowed on "*".
  assert {
    condition = (
      one([for st in jsondecode(module.comanda.execution_policies["catalog"]).Statement : st.Resource if st.Sid == "PullImage"]) == ["arn:aws:ecr:us-east-1:123456789012:repository/comanda/catalog"] &&
      alltrue(flatten([
        for s, p in module.comanda.execution_policies : [
          for st in jsondecode(p).Statement : st.Sid == "EcrLogin" ? st.Action == ["ecr:GetAuthorizationToken"] : !contains(st.Resource, "*")
        ]
      ]))
    )
    error_message = "image pulls must be scoped to the repositories: ${module.comanda.execution_policies["catalog"]}"
  }

  # Task and execution roles: ECS, acting for this account and region.
  assert {
    condition = jsondecode(module.comanda.role_trust_policy).Statement[0].Condition == {
      StringEquals = { "aws:SourceAccount" = "123456789012" }
      ArnLike      = { "aws:SourceArn" = "arn:aws:ecs:us-east-1:123456789012:*" }
    }
    error_message = "trust policy: ${module.comanda.role_trust_policy}"
  }

  # The database init task: the master user in the maintenance database,
  # every owner role's password, and nothing else.
  assert {
    condition = (
      { for e in module.comanda.db_init_container_definitions[0][0].environment : e.name => e.value } == {
        DATABASE_URL  = "postgres://comanda@comanda.abc.us-east-1.rds.amazonaws.com:5432/postgres?sslmode=verify-full&sslrootcert=/etc/ssl/rds/global-bundle.pem"
        DBINIT_OWNERS = "catalog:catalog,orders:order"
        LOG_FORMAT    = "json"
        LOG_LEVEL     = "info"
      } &&
      { for e in module.comanda.db_init_container_definitions[0][0].secrets : e.name => e.valueFrom } == {
        PGPASSWORD              = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock:password::"
        DBINIT_PASSWORD_CATALOG = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/catalog-AbCdEf:password::"
        DBINIT_PASSWORD_ORDER   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/order-AbCdEf:password::"
      }
    )
    error_message = "the init task's settings: ${jsonencode(module.comanda.db_init_container_definitions)}"
  }

  assert {
    condition = sort(one([for st in jsondecode(module.comanda.db_init_execution_policy).Statement : st.Resource if st.Sid == "InjectSecrets"])) == sort([
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/catalog-AbCdEf",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/database/order-AbCdEf",
    ])
    error_message = "the init task reads the master's and the roles' secrets: ${module.comanda.db_init_execution_policy}"
  }

  assert {
    condition     = strcontains(module.comanda.db_init_run_task, "securityGroups=[sg-dbinit]") && strcontains(module.comanda.db_init_run_task, "assignPublicIp=DISABLED")
    error_message = "db_init_run_task: ${module.comanda.db_init_run_task}"
  }

  # Egress: HTTPS anywhere, PostgreSQL to the database's group for its
  # owners (and the init task), HTTP to the ALB for its callers.
  assert {
    condition = jsonencode(module.comanda.task_egress) == jsonencode({
      auth       = ["tcp/443 0.0.0.0/0"]
      catalog    = ["tcp/443 0.0.0.0/0", "tcp/5432 sg-db"]
      order      = ["tcp/443 0.0.0.0/0", "tcp/5432 sg-db", "tcp/80 sg-alb"]
      payment    = ["tcp/443 0.0.0.0/0"]
      production = ["tcp/443 0.0.0.0/0"]
    }) && jsonencode(module.comanda.db_init_egress) == jsonencode(["tcp/443 0.0.0.0/0", "tcp/5432 sg-db"])
    error_message = "task egress: ${jsonencode(module.comanda.task_egress)}, init: ${jsonencode(module.comanda.db_init_egress)}"
  }

  assert {
    condition     = jsonencode(module.comanda.alb_egress_targets) == jsonencode(["auth", "catalog", "order", "payment", "production"])
    error_message = "the ALB sends to the services' groups only: ${jsonencode(module.comanda.alb_egress_targets)}"
  }

  # Queues: only the producers send (consumers, to the dead-letter queue),
  # and nothing without TLS.
  assert {
    condition = alltrue([
      for q, senders in {
        "payment-service-queue"        = ["order"]
        "production-service-queue"     = ["order"]
        "order-service-queue"          = ["payment", "production"]
        "payment-service-queue-dlq"    = ["payment"]
        "production-service-queue-dlq" = ["production"]
        "order-service-queue-dlq"      = ["order"]
        } : jsondecode(module.comanda.queue_policies[q]).Statement == [
        {
          Sid       = "DenyWithoutTLS", Effect = "Deny", Principal = "*", Action = "sqs:*"
          Resource  = "arn:aws:sqs:us-east-1:123456789012:${q}"
          Condition = { Bool = { "aws:SecureTransport" = "false" } }
        },
        {
          Sid       = "OnlySendersSend", Effect = "Deny", Principal = "*", Action = "sqs:SendMessage"
          Resource  = "arn:aws:sqs:us-east-1:123456789012:${q}"
          Condition = { ArnNotEquals = { "aws:PrincipalArn" = [for s in senders : "arn:aws:iam::123456789012:role/comanda-${s}-task"] } }
        },
        {
          Sid       = "SendersSend", Effect = "Allow", Action = "sqs:SendMessage"
          Principal = { AWS = [for s in senders : "arn:aws:iam::123456789012:role/comanda-${s}-task"] }
          Resource  = "arn:aws:sqs:us-east-1:123456789012:${q}"
        },
      ]
    ]) && length(module.comanda.queue_policies) == 6
    error_message = "queue policies: ${jsonencode(module.comanda.queue_policies)}"
  }

  assert {
    condition     = module.comanda.table_ttl == { payments = "ttl", "kitchen-orders" = "ttl" }
    error_message = "payments and kitchen-orders expire items by their ttl attribute: ${jsonencode(module.comanda.table_ttl)}"
  }

  # The client's address: set at the edge on every request, whatever the
  # client sent under that name.
  assert {
    condition     = jsonencode(module.comanda.api_integration_request_parameters) == jsonencode({ "overwrite:header.X-Comanda-Client-Ip" = "$context.identity.sourceIp" })
    error_message = "integration parameters: ${jsonencode(module.comanda.api_integration_request_parameters)}"
  }

  # The ALB: reached from the VPC link and from order (which calls catalog).
  assert {
    condition     = jsonencode(module.comanda.alb_ingress_sources) == jsonencode(["order", "vpc-link"])
    error_message = "ALB ingress: ${jsonencode(module.comanda.alb_ingress_sources)}"
  }

  # RDS: private, password managed by RDS.
  assert {
    condition     = module.comanda.db_publicly_accessible == false && sort(module.comanda.db_subnet_ids) == sort(module.comanda.private_subnet_ids)
    error_message = "RDS must be private by default"
  }

  assert {
    condition     = module.comanda.db_manages_master_password
    error_message = "the master password must be managed by RDS"
  }

  assert {
    condition = module.comanda.project_secret_fields == sort([
      "jwt_key_id", "jwt_public_key_pem", "vpc_id", "api_id", "api_endpoint", "alb_arn", "alb_dns_name", "listener_arn",
      "ecs_cluster_arn", "ecs_cluster_name", "rds_host", "rds_port", "rds_database", "rds_databases", "rds_user", "rds_password_secret_arn",
    ])
    error_message = "the project secret's fields changed"
  }

  assert {
    condition     = length(module.comanda.nat_gateway_ids) == 1
    error_message = "one NAT gateway by default"
  }

  # Telemetry. The collector beside every service: ADOT from ECR Public,
  # not essential, restarted in place, started before the service, its
  # logs in the service's log group.
  assert {
    condition = alltrue([
      for s, cs in module.comanda.container_definitions : (
        cs[1].image == "public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0" &&
        cs[1].essential == false &&
        cs[1].restartPolicy.enabled &&
        cs[1].readonlyRootFilesystem &&
        !contains(keys(cs[1]), "portMappings") &&
        cs[1].environment[*].name == ["AOT_CONFIG_CONTENT"] &&
        cs[1].logConfiguration == cs[0].logConfiguration &&
        cs[0].logConfiguration.options["awslogs-group"] == "/ecs/comanda/${s}" &&
        cs[0].dependsOn == [{ containerName = "otel-collector", condition = "START" }]
      )
    ])
    error_message = "the collector sidecar: ${jsonencode(module.comanda.container_definitions["order"])}"
  }

  # Each service exports to it, under its own name, in this deployment.
  assert {
    condition = alltrue([
      for s, cs in module.comanda.container_definitions : { for e in cs[0].environment : e.name => e.value if startswith(e.name, "OTEL_") } == {
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://127.0.0.1:4318"
        OTEL_SERVICE_NAME           = s
        OTEL_RESOURCE_ATTRIBUTES    = "deployment.environment=comanda,deployment.environment.name=comanda"
        OTEL_TRACES_SAMPLER         = "parentbased_traceidratio"
        OTEL_TRACES_SAMPLER_ARG     = "1"
      }
    ])
    error_message = "the services' OpenTelemetry settings: ${jsonencode(module.comanda.container_definitions["order"][0].environment)}"
  }

  # One configuration for every collector: OTLP/HTTP on the task's
  # loopback in, spans to X-Ray, metrics to the EMF log group in the
  # namespace.
  assert {
    condition = (
      length(distinct([for s, cs in module.comanda.container_definitions : cs[1].environment[0].value])) == 1 &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).receivers == { otlp = { protocols = { http = { endpoint = "127.0.0.1:4318" } } } } &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).exporters.awsxray == { region = "us-east-1" } &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).service.pipelines.traces.exporters == ["awsxray"] &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).service.pipelines.metrics.exporters == ["awsemf"] &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).exporters.awsemf.log_group_name == "/ecs/comanda/metrics" &&
      yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).exporters.awsemf.namespace == "Comanda" &&
      module.comanda.metrics_log_group_name == "/ecs/comanda/metrics"
    )
    error_message = "the collector's configuration: ${module.comanda.container_definitions["order"][1].environment[0].value}"
  }

  # The metrics that become CloudWatch metrics, each by the deployment,
  # the service and (where it has them) its own few-valued attributes; the
  # HTTP clients' metrics, and every other, do not.
  assert {
    condition = alltrue([
      for m, dims in {
        "comanda.outbox.oldest_age"          = [[["deployment.environment", "service.name"]]]
        "comanda.outbox.messages"            = [[["deployment.environment", "service.name"]]]
        "messaging.client.consumed.messages" = [[["deployment.environment", "service.name", "messaging.destination.name", "comanda.outcome"]]]
        "http.server.request.duration"       = [[["deployment.environment", "service.name"], ["deployment.environment", "service.name", "http.route"]]]
        "comanda.order.transitions"          = [[["deployment.environment", "service.name", "to"], ["deployment.environment", "service.name", "from", "to"]]]
        "http.client.request.duration"       = []
        "messaging.process.duration"         = []
        } : jsonencode([
          for d in yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).exporters.awsemf.metric_declarations :
          d.dimensions if anytrue([for r in d.metric_name_selectors : can(regex(r, m))])
      ]) == jsonencode(dims)
    ])
    error_message = "EMF metric declarations: ${jsonencode(yamldecode(module.comanda.container_definitions["order"][1].environment[0].value).exporters.awsemf.metric_declarations)}"
  }

  # The task role (the collector's) may send segments to X-Ray, which has
  # no resources, and write to the metrics log group alone; nothing else
  # is on "*", and the log group is never the role's to make.
  assert {
    condition = alltrue([
      for s, p in module.comanda.task_policies : (
        jsonencode([for st in jsondecode(p).Statement : st if st.Sid == "WriteTraces"]) == jsonencode([{ Action = ["xray:PutTraceSegments"], Effect = "Allow", Resource = ["*"], Sid = "WriteTraces" }]) &&
        jsonencode([for st in jsondecode(p).Statement : st if st.Sid == "WriteMetrics"]) == jsonencode([{
          Action   = ["logs:CreateLogStream", "logs:PutLogEvents"], Effect = "Allow", Sid = "WriteMetrics"
          Resource = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/comanda/metrics:*"]
        }]) &&
        alltrue([for st in jsondecode(p).Statement : st.Sid == "WriteTraces" || !contains(st.Resource, "*")]) &&
        !strcontains(p, "logs:CreateLogGroup")
      )
    ])
    error_message = "task policies: ${jsonencode(module.comanda.task_policies)}"
  }

  assert {
    condition = alltrue([
      for s, p in module.comanda.execution_policies : !strcontains(p, "xray:") && !strcontains(p, "/ecs/comanda/metrics")
    ])
    error_message = "telemetry is the task role's, not the execution role's"
  }

  # The alarms, by name: every queue's dead letters and oldest message,
  # every service's 5xx rate and the ALB's own, order's and production's
  # outbox.
  assert {
    condition = jsonencode(sort(keys(module.comanda.alarms))) == jsonencode(sort(concat(
      flatten([for q in jsondecode(file("../services/topology/topology.json")).queues.names : ["comanda-${q}-dead-letters", "comanda-${q}-oldest-message"]]),
      [for s in jsondecode(file("../services/topology/topology.json")).services : "comanda-${s}-5xx"],
      ["comanda-alb-5xx", "comanda-order-outbox-oldest", "comanda-production-outbox-oldest"],
    )))
    error_message = "alarms: ${jsonencode(keys(module.comanda.alarms))}"
  }

  assert {
    condition = alltrue(flatten([
      for q in jsondecode(file("../services/topology/topology.json")).queues.names : [
        jsonencode(module.comanda.alarms["comanda-${q}-dead-letters"].metrics) == jsonencode(["AWS/SQS/ApproximateNumberOfMessagesVisible ${jsonencode({ QueueName = "${q}-dlq" })}"]),
        module.comanda.alarms["comanda-${q}-dead-letters"].statistic == "Maximum",
        module.comanda.alarms["comanda-${q}-dead-letters"].threshold == 0,
        jsonencode(module.comanda.alarms["comanda-${q}-oldest-message"].metrics) == jsonencode(["AWS/SQS/ApproximateAgeOfOldestMessage ${jsonencode({ QueueName = q })}"]),
        module.comanda.alarms["comanda-${q}-oldest-message"].statistic == "Maximum",
        module.comanda.alarms["comanda-${q}-oldest-message"].threshold == 60,
        module.comanda.alarms["comanda-${q}-oldest-message"].datapoints == "3/3",
      ]
    ]))
    error_message = "queue alarms: ${jsonencode(module.comanda.alarms)}"
  }

  assert {
    condition = alltrue(flatten([
      for s in ["order", "production"] : [
        jsonencode(module.comanda.alarms["comanda-${s}-outbox-oldest"].metrics) == jsonencode(["Comanda/comanda.outbox.oldest_age ${jsonencode({ "deployment.environment" = "comanda", "service.name" = s })}"]),
        module.comanda.alarms["comanda-${s}-outbox-oldest"].statistic == "Maximum",
        module.comanda.alarms["comanda-${s}-outbox-oldest"].threshold == 60,
        module.comanda.alarms["comanda-${s}-outbox-oldest"].datapoints == "2/3",
        # The gauge is 0 for an empty outbox: no data is news.
        module.comanda.alarms["comanda-${s}-outbox-oldest"].treat_missing_data == "missing",
        jsonencode(module.comanda.alarms["comanda-${s}-outbox-oldest"].no_data_actions) == jsonencode(["arn:aws:sns:us-east-1:123456789012:comanda-alarms"]),
      ]
    ]))
    error_message = "outbox alarms: ${jsonencode(module.comanda.alarms)}"
  }

  # 5xx over requests, on the service's target group, over five minutes,
  # with enough requests.
  assert {
    condition = alltrue(flatten([
      for s in jsondecode(file("../services/topology/topology.json")).services : [
        jsonencode(module.comanda.alarms["comanda-${s}-5xx"].metrics) == jsonencode([
          for m in ["HTTPCode_Target_5XX_Count", "RequestCount"] :
          "AWS/ApplicationELB/${m} ${jsonencode({ LoadBalancer = "app/comanda/0123456789abcdef", TargetGroup = "targetgroup/comanda-${s}/0123456789abcdef" })}"
        ]),
        module.comanda.alarms["comanda-${s}-5xx"].statistic == "Sum",
        module.comanda.alarms["comanda-${s}-5xx"].period == 300,
        module.comanda.alarms["comanda-${s}-5xx"].expression == "IF(requests >= 20, 100 * FILL(errors, 0) / requests, 0)",
        module.comanda.alarms["comanda-${s}-5xx"].threshold == 5,
      ]
    ])) && jsonencode(module.comanda.alarms["comanda-alb-5xx"].metrics) == jsonencode([for m in ["HTTPCode_ELB_5XX_Count", "RequestCount"] : "AWS/ApplicationELB/${m} ${jsonencode({ LoadBalancer = "app/comanda/0123456789abcdef" })}"])
    error_message = "5xx alarms: ${jsonencode(module.comanda.alarms)}"
  }

  # Every alarm notifies the topic, firing and clearing; for AWS's
  # metrics, no data is no trouble.
  assert {
    condition = alltrue([
      for n, a in module.comanda.alarms :
      jsonencode(a.alarm_actions) == jsonencode(["arn:aws:sns:us-east-1:123456789012:comanda-alarms"]) &&
      jsonencode(a.ok_actions) == jsonencode(["arn:aws:sns:us-east-1:123456789012:comanda-alarms"]) &&
      (strcontains(n, "outbox") || a.treat_missing_data == "notBreaching" && length(coalesce(a.no_data_actions, [])) == 0)
    ]) && module.comanda.alarm_topic_arn == "arn:aws:sns:us-east-1:123456789012:comanda-alarms"
    error_message = "alarm actions: ${jsonencode(module.comanda.alarms)}"
  }
}

run "seed_public_database" {
  command = apply

  variables {
    db_publicly_accessible  = true
    db_public_ingress_cidrs = ["203.0.113.0/24"]
    nat_gateway_per_az      = true
  }

  assert {
    condition     = module.comanda.db_publicly_accessible && sort(module.comanda.db_subnet_ids) == sort(module.comanda.public_subnet_ids)
    error_message = "db_publicly_accessible puts RDS in the public subnets"
  }

  assert {
    condition     = length(module.comanda.nat_gateway_ids) == 2
    error_message = "nat_gateway_per_az: one NAT gateway per zone"
  }
}

run "images_elsewhere_and_redrive" {
  command = apply

  variables {
    images = {
      catalog = "210987654321.dkr.ecr.sa-east-1.amazonaws.com/menu/catalog:v1"
      auth    = "ghcr.io/example/auth:v1"
    }
    queue_redrive_role_arns = ["arn:aws:iam::123456789012:role/operators"]
  }

  # An image from another account's ECR is pulled from that repository
  # only; one from another registry needs no ECR permission at all.
  assert {
    condition = (
      one([for st in jsondecode(module.comanda.execution_policies["catalog"]).Statement : st.Resource if st.Sid == "PullImage"]) == ["arn:aws:ecr:sa-east-1:210987654321:repository/menu/catalog"] &&
      [for st in jsondecode(module.comanda.execution_policies["auth"]).Statement : st.Sid] == ["WriteLogs", "InjectSecrets"]
    )
    error_message = "execution policies: ${jsonencode(module.comanda.execution_policies)}"
  }

  # The operators' role may send to the queues (a redrive sends as its
  # caller), not to the dead-letter queues.
  assert {
    condition = (
      contains(jsondecode(module.comanda.queue_policies["order-service-queue"]).Statement[2].Principal.AWS, "arn:aws:iam::123456789012:role/operators") &&
      !strcontains(module.comanda.queue_policies["order-service-queue-dlq"], "operators")
    )
    error_message = "queue policies: ${jsonencode(module.comanda.queue_policies)}"
  }
}

# A signing key of one's own, named at the root: Terraform makes none, and
# auth may sign with that one alone.
run "existing_signing_key" {
  command = apply

  variables {
    existing_signing_key_id = "alias/comanda-jwt-2"
  }

  override_data {
    target = module.comanda.module.auth_keys.data.aws_kms_key.existing[0]
    values = {
      id        = "5678abcd-12ab-4cd3-8f90-1234567890ab"
      arn       = "arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-4cd3-8f90-1234567890ab"
      key_spec  = "RSA_2048"
      key_usage = "SIGN_VERIFY"
    }
  }

  assert {
    condition     = jsondecode(module.comanda.task_policies["auth"]).Statement[2].Resource == ["arn:aws:kms:us-east-1:123456789012:key/5678abcd-12ab-4cd3-8f90-1234567890ab"]
    error_message = "auth signs with the existing key: ${module.comanda.task_policies["auth"]}"
  }
}

# Without the collector: no sidecar, no OpenTelemetry settings (the
# services export nothing), no telemetry permissions, no outbox alarms;
# the alarms on AWS's own metrics stay, and notify the topics given too.
run "telemetry_off" {
  command = apply

  variables {
    telemetry_collector = false
    alarm_topic_arns    = ["arn:aws:sns:us-east-1:123456789012:on-call"]
  }

  assert {
    condition = alltrue([
      for s, cs in module.comanda.container_definitions :
      cs[*].name == [s] && !contains(keys(cs[0]), "dependsOn") && alltrue([for e in cs[0].environment : !startswith(e.name, "OTEL_")])
    ])
    error_message = "no collector, no OTEL_ settings: ${jsonencode(module.comanda.container_definitions["order"])}"
  }

  assert {
    condition     = alltrue([for s, p in module.comanda.task_policies : !strcontains(p, "xray:") && !strcontains(p, "logs:")]) && module.comanda.metrics_log_group_name == null
    error_message = "no telemetry permissions without the collector: ${jsonencode(module.comanda.task_policies)}"
  }

  assert {
    condition = (
      length(module.comanda.alarms) == 12 && !anytrue([for n in keys(module.comanda.alarms) : strcontains(n, "outbox")]) &&
      alltrue([for n, a in module.comanda.alarms : jsonencode(sort(a.alarm_actions)) == jsonencode(["arn:aws:sns:us-east-1:123456789012:comanda-alarms", "arn:aws:sns:us-east-1:123456789012:on-call"])])
    )
    error_message = "alarms without the collector: ${jsonencode(module.comanda.alarms)}"
  }
}

run "sampled_traces" {
  command = apply

  variables {
    trace_sample_ratio = 0.25
  }

  assert {
    condition     = alltrue([for s, cs in module.comanda.container_definitions : contains(cs[0].environment, { name = "OTEL_TRACES_SAMPLER_ARG", value = "0.25" })])
    error_message = "trace_sample_ratio is the sampler's argument"
  }
}
