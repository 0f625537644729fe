# The deployment root: one AWS account and region, state in S3 (made by
# terraform/bootstrap). Everything is in modules/comanda, shared with the
# emulator profile (profiles/emulator) that make tf-smoke applies.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "comanda"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "comanda" {
  source = "./modules/comanda"

  name               = var.name
  region             = var.region
  resource_prefix    = var.resource_prefix
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  az_count           = var.az_count
  nat_gateway_per_az = var.nat_gateway_per_az

  image_tag         = var.image_tag
  images            = var.images
  task_cpu          = var.task_cpu
  task_memory       = var.task_memory
  desired_count     = var.desired_count
  service_overrides = var.service_overrides
  cpu_architecture  = var.cpu_architecture
  log_level         = var.log_level

  create_signing_key      = var.existing_signing_key_id == null
  existing_signing_key_id = var.existing_signing_key_id

  bootstrap_employee_email = var.bootstrap_employee_email
  mercadopago_base_url     = var.mercadopago_base_url
  public_base_url          = var.public_base_url

  db_instance_class        = var.db_instance_class
  db_engine_version        = var.db_engine_version
  db_multi_az              = var.db_multi_az
  db_backup_retention_days = var.db_backup_retention_days
  db_publicly_accessible   = var.db_publicly_accessible
  db_public_ingress_cidrs  = var.db_public_ingress_cidrs
  db_role_password_version = var.db_role_password_version

  queue_redrive_role_arns = var.queue_redrive_role_arns

  telemetry_collector       = var.telemetry_collector
  telemetry_collector_image = var.telemetry_collector_image
  trace_sample_ratio        = var.trace_sample_ratio
  alarm_topic_arns          = var.alarm_topic_arns

  deletion_protection = var.deletion_protection
}
