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
  mock_data "aws_kms_public_key" {
    defaults = { public_key_pem = "-----BEGIN PUBLIC KEY-----\nMOCK\n-----END PUBLIC KEY-----\n" }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-4cd3-8f90-1234567890ab", key_id = "1234abcd-12ab-4cd3-8f90-1234567890ab" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/comanda/0123456789abcdef", dns_name = "internal-comanda-1.us-east-1.elb.amazonaws.com" }
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
  target = module.comanda.module.ecs.aws_lb_target_group.service["auth"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-auth/0123456789abcdef" }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["auth"]
  values = { id = "sg-auth" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["catalog"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-catalog/0123456789abcdef" }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["catalog"]
  values = { id = "sg-catalog" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["order"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-order/0123456789abcdef" }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["order"]
  values = { id = "sg-order" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["payment"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-payment/0123456789abcdef" }
}

override_resource {
  target = module.comanda.module.ecs.aws_security_group.service["payment"]
  values = { id = "sg-payment" }
}

override_resource {
  target = module.comanda.module.ecs.aws_lb_target_group.service["production"]
  values = { arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/comanda-production/0123456789abcdef" }
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
          ["ADDR", "AWS_REGION", "JWT_AUDIENCE", "JWT_ISSUER", "LOG_FORMAT", "LOG_LEVEL", "PROJECT_SECRET_ID", "QUEUE_PREFIX"]
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

  assert {
    condition = alltrue([
      for s in ["catalog", "order"] : module.comanda.container_definitions[s][0].name == "create-database" &&
      one([for c in module.comanda.container_definitions[s] : c if c.name == s]).dependsOn[0].condition == "SUCCESS"
    ]) && length(module.comanda.container_definitions["auth"]) == 1
    error_message = "catalog and order must wait for their database; the others have one container"
  }

  assert {
    condition     = strcontains(one([for e in module.comanda.container_definitions["order"][1].environment : e.value if e.name == "DATABASE_URL"]), "/orders?sslmode=require")
    error_message = "order's DATABASE_URL must name its own database, over TLS"
  }

  assert {
    condition     = one([for e in module.comanda.container_definitions["payment"][0].environment : e.value if e.name == "WEBHOOK_URL"]) == "https://abc123.execute-api.us-east-1.amazonaws.com/payment/webhook"
    error_message = "payment's WEBHOOK_URL must be the public API's /payment/webhook"
  }

  # Least privilege, service by service.
  assert {
    condition     = jsondecode(module.comanda.task_policies["catalog"]).Statement[*].Sid == ["ReadProjectSecret"]
    error_message = "catalog needs only the project secret: ${module.comanda.task_policies["catalog"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["auth"]).Statement[*].Sid == ["ReadProjectSecret", "OwnTables", "SignTokens"] &&
      jsondecode(module.comanda.task_policies["auth"]).Statement[1].Resource == ["arn:aws:dynamodb:us-east-1:123456789012:table/customers", "arn:aws:dynamodb:us-east-1:123456789012:table/customers/index/*"] &&
      jsondecode(module.comanda.task_policies["auth"]).Statement[2].Action == ["kms:Sign"]
    )
    error_message = "auth: its customers table and kms:Sign: ${module.comanda.task_policies["auth"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["payment"]).Statement[*].Sid == ["ReadProjectSecret", "OwnTables", "ConsumeOwnQueues", "DeadLetterOwnQueues", "PublishEvents"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[1].Resource[0] == "arn:aws:dynamodb:us-east-1:123456789012:table/payments" &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[2].Resource == ["arn:aws:sqs:us-east-1:123456789012:payment-service-queue"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[3].Resource == ["arn:aws:sqs:us-east-1:123456789012:payment-service-queue-dlq"] &&
      jsondecode(module.comanda.task_policies["payment"]).Statement[4].Resource == ["arn:aws:sqs:us-east-1:123456789012:order-service-queue"]
    )
    error_message = "payment: its table, receive from its queue, send to the order queue: ${module.comanda.task_policies["payment"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.task_policies["order"]).Statement[*].Sid == ["ReadProjectSecret", "ConsumeOwnQueues", "DeadLetterOwnQueues", "PublishEvents"] &&
      jsonencode(sort(jsondecode(module.comanda.task_policies["order"]).Statement[3].Resource)) == jsonencode(["arn:aws:sqs:us-east-1:123456789012:payment-service-queue", "arn:aws:sqs:us-east-1:123456789012:production-service-queue"])
    )
    error_message = "order: its queue, send to payment and production: ${module.comanda.task_policies["order"]}"
  }

  assert {
    condition = (
      jsondecode(module.comanda.execution_policies["payment"]).Statement[3].Resource == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:comanda/payment-AbCdEf"] &&
      jsondecode(module.comanda.execution_policies["catalog"]).Statement[3].Resource == ["arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-mock"] &&
      length(jsondecode(module.comanda.execution_policies["production"]).Statement) == 3
    )
    error_message = "execution roles read only the secrets their task injects"
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
