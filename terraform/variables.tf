# The settings of a deployment; terraform.tfvars.example shows a typical
# one. Every other knob of modules/comanda keeps its default here.

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  description = "A tag on every resource (production, staging…)."
  type        = string
  default     = "production"
}

variable "name" {
  description = "Infrastructure name prefix (VPC, ALB, cluster, roles, repositories)."
  type        = string
  default     = "comanda"
}

variable "resource_prefix" {
  description = "In front of queue, table and project secret names, to share an account between deployments; the services get it as QUEUE_PREFIX."
  type        = string
  default     = ""
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "availability_zones" {
  description = "Empty: the region's first az_count zones."
  type        = list(string)
  default     = []
}

variable "az_count" {
  type    = number
  default = 2
}

variable "nat_gateway_per_az" {
  type    = bool
  default = false
}

variable "image_tag" {
  description = "The tag pushed to every service's ECR repository (the git commit)."
  type        = string
  default     = "latest"
}

variable "images" {
  description = "Service name => image reference, instead of <ECR repository>:<image_tag>."
  type        = map(string)
  default     = {}
}

variable "task_cpu" {
  type    = number
  default = 256
}

variable "task_memory" {
  type    = number
  default = 512
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "service_overrides" {
  type = map(object({
    cpu           = optional(number)
    memory        = optional(number)
    desired_count = optional(number)
  }))
  default = {}
}

variable "cpu_architecture" {
  type    = string
  default = "X86_64"
}

variable "log_level" {
  type    = string
  default = "info"
}

variable "existing_signing_key_id" {
  description = "An RSA_2048 SIGN_VERIFY KMS key (id, ARN or alias) to sign tokens with; null has Terraform make one. Setting it schedules a key Terraform made for deletion (docs/security.md: rotating the signing key)."
  type        = string
  default     = null
}

variable "bootstrap_employee_email" {
  type    = string
  default = ""
}

variable "mercadopago_base_url" {
  type    = string
  default = "https://api.mercadopago.com"
}

variable "public_base_url" {
  type    = string
  default = null
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.micro"
}

variable "db_engine_version" {
  type    = string
  default = "16"
}

variable "db_multi_az" {
  type    = bool
  default = false
}

variable "db_backup_retention_days" {
  type    = number
  default = 7
}

variable "db_publicly_accessible" {
  type    = bool
  default = false
}

variable "db_public_ingress_cidrs" {
  type    = list(string)
  default = []
}

variable "db_role_password_version" {
  description = "Raise it to give every service's database role a new password (see README: rotating)."
  type        = number
  default     = 1
}

variable "queue_redrive_role_arns" {
  description = "Roles that may send to the queues besides the producers: the operators' role that redrives dead letters."
  type        = list(string)
  default     = []
}

variable "telemetry_collector" {
  description = "An OpenTelemetry collector (ADOT) beside every service: spans to X-Ray, metrics to CloudWatch (README: Telemetry). False: none, and the services export nothing."
  type        = bool
  default     = true
}

variable "telemetry_collector_image" {
  description = "The ADOT collector image (ECR Public)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0"
}

variable "trace_sample_ratio" {
  description = "The share of traces recorded, 0 to 1."
  type        = number
  default     = 1
}

variable "alarm_topic_arns" {
  description = "SNS topics the alarms notify besides <name>-alarms (an existing on-call topic)."
  type        = list(string)
  default     = []
}

variable "deletion_protection" {
  type    = bool
  default = true
}
