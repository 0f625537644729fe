# The emulator profile: modules/comanda against the harness's embedded AWS
# emulator (kumo v0.33.1, served by harness/cmd/awsemu), for make tf-smoke:
# apply, plan (which must show no changes), destroy. What kumo cannot hold
# is switched off below, each with its reason; terraform/README.md lists
# them and what the smoke therefore does not cover.

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # The smoke gives a path outside the repository: -backend-config=path=….
  backend "local" {}
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "emulator"
  secret_key                  = "emulator"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = true

  endpoints {
    apigatewayv2   = var.endpoint
    cloudwatch     = var.endpoint
    cloudwatchlogs = var.endpoint
    dynamodb       = var.endpoint
    ec2            = var.endpoint
    ecr            = var.endpoint
    ecs            = var.endpoint
    elbv2          = var.endpoint
    iam            = var.endpoint
    kms            = var.endpoint
    rds            = var.endpoint
    secretsmanager = var.endpoint
    sns            = var.endpoint
    sqs            = var.endpoint
    sts            = var.endpoint
  }
}

module "comanda" {
  source = "../../modules/comanda"

  region             = "us-east-1"
  resource_prefix    = var.resource_prefix
  availability_zones = ["us-east-1a", "us-east-1b"] # kumo has no DescribeAvailabilityZones

  enable_nat_gateway          = false # no Elastic IPs, no DeleteNatGateway
  create_route_tables         = false # no DeleteRouteTable, DisassociateRouteTable
  enable_vpc_link             = false # no VPC links (so no integration through one either)
  create_security_group_rules = false # kumo keeps only inline CIDR rules; no DescribeSecurityGroupRules
  listener_fixed_response     = false # only forward actions are kept
  create_ecs_services         = false # no DescribeTaskDefinition, DescribeServices
  container_insights          = false # cluster settings are not kept
  create_rds                  = false # no DB subnet groups; RDS is incomplete
  create_signing_key          = false # the RSA_2048 key spec Terraform sends is ignored
  existing_signing_key_id     = var.signing_key_alias
  create_table_indexes        = false # a permanent diff on every GSI
  point_in_time_recovery      = false # no UpdateContinuousBackups
  sqs_managed_sse_enabled     = false # SqsManagedSseEnabled is not kept
  create_alarms               = false # metric math is refused; dimensions, actions, treat_missing_data are not kept
  deletion_protection         = false
  secret_recovery_window_days = 0
}
