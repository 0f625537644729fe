# ---- Naming and placement --------------------------------------------------

variable "name" {
  description = "Name of the deployment, in front of infrastructure names (VPC, ALB, cluster, roles). Short: target groups are <name>-<service>, 32 characters at most."
  type        = string
  default     = "comanda"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.name))
    error_message = "name: lower-case letters, digits and dashes, at most 20 characters."
  }
}

variable "region" {
  description = "The AWS region (for the containers' log driver and AWS_REGION)."
  type        = string
}

variable "resource_prefix" {
  description = "In front of the names topology.json gives queues, tables and the project secret (the services' QUEUE_PREFIX); empty in a normal deployment."
  type        = string
  default     = ""
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]*$", var.resource_prefix))
    error_message = "resource_prefix: letters, digits, - and _ only (every AWS name it goes into allows them)."
  }
}

variable "vpc_cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "availability_zones" {
  description = "Zones to use; empty takes the region's first az_count zones."
  type        = list(string)
  default     = []
}

variable "az_count" {
  type    = number
  default = 2
}

# ---- What to make (the emulator profile turns off what kumo cannot hold) ---

variable "enable_nat_gateway" {
  type    = bool
  default = true
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone instead of one for the VPC."
  type        = bool
  default     = false
}

variable "create_route_tables" {
  type    = bool
  default = true
}

variable "enable_vpc_link" {
  type    = bool
  default = true
}

variable "create_security_group_rules" {
  type    = bool
  default = true
}

variable "listener_fixed_response" {
  description = "Answer paths no route claims with a JSON 404 at the ALB; false forwards them to the first service instead."
  type        = bool
  default     = true
}

variable "create_ecs_services" {
  description = "Make the task definitions and ECS services."
  type        = bool
  default     = true
}

variable "container_insights" {
  type    = bool
  default = true
}

variable "create_rds" {
  type    = bool
  default = true
}

variable "create_signing_key" {
  description = "Make the JWT signing key in KMS; false uses existing_signing_key_id."
  type        = bool
  default     = true
}

variable "existing_signing_key_id" {
  description = "An RSA_2048 SIGN_VERIFY KMS key (id, ARN or alias) when create_signing_key is false."
  type        = string
  default     = null
  validation {
    condition     = var.create_signing_key || var.existing_signing_key_id != null
    error_message = "Set existing_signing_key_id when create_signing_key is false."
  }
}

variable "create_table_indexes" {
  type    = bool
  default = true
}

variable "point_in_time_recovery" {
  type    = bool
  default = true
}

variable "sqs_managed_sse_enabled" {
  type    = bool
  default = true
}

variable "create_ecr_repositories" {
  type    = bool
  default = true
}

variable "deletion_protection" {
  description = "Protect the ALB, the RDS instance and the DynamoDB tables from deletion (and keep a final RDS snapshot)."
  type        = bool
  default     = true
}

variable "secret_recovery_window_days" {
  type    = number
  default = 7
}

# ---- The services ------------------------------------------------------------

variable "image_tag" {
  description = "Tag of every service's image in its ECR repository (the git commit the images were built from)."
  type        = string
  default     = "latest"
}

variable "images" {
  description = "Service name (or dbinit, the database init task) => full image reference, overriding <repository>:<image_tag>. Required for every one of them without ECR repositories."
  type        = map(string)
  default     = {}
  validation {
    condition = var.create_ecr_repositories || !var.create_ecs_services || alltrue([
      for s in concat(local.services, var.create_rds ? ["dbinit"] : []) : contains(keys(var.images), s)
    ])
    error_message = "Without ECR repositories, give every service's image (and dbinit's, with RDS) in images."
  }
}

variable "task_cpu" {
  type    = number
  default = 256
}

variable "task_memory" {
  description = "MiB."
  type        = number
  default     = 512
}

variable "desired_count" {
  description = "Tasks per service; two spread over the zones survive losing one."
  type        = number
  default     = 2
}

variable "service_overrides" {
  description = "Per-service cpu, memory or desired_count."
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

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "jwt_issuer" {
  type    = string
  default = "comanda"
}

variable "jwt_audience" {
  type    = string
  default = "comanda-api"
}

variable "bootstrap_employee_email" {
  description = "The first employee's e-mail; its bcrypt password hash goes into the auth service's secret. Empty: no employee can log in."
  type        = string
  default     = ""
}

variable "mercadopago_base_url" {
  type    = string
  default = "https://api.mercadopago.com"
}

variable "public_base_url" {
  description = "The API's public URL (a custom domain), for the webhook URL given to Mercado Pago; null uses the HTTP API's own endpoint."
  type        = string
  default     = null
}

variable "queue_redrive_role_arns" {
  description = "Roles allowed to send to the queues besides their producers: whoever moves dead letters back (a redrive sends as its caller). Empty: producers only."
  type        = list(string)
  default     = []
}

variable "api_throttling_rate_limit" {
  type    = number
  default = 100
}

variable "api_throttling_burst_limit" {
  type    = number
  default = 200
}

# ---- PostgreSQL --------------------------------------------------------------

variable "db_engine_version" {
  type    = string
  default = "16"
}

variable "db_instance_class" {
  type    = string
  default = "db.t4g.micro"
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
  description = "The seed's public RDS placement. Off by default: RDS sits in the private subnets."
  type        = bool
  default     = false
}

variable "rds_ca_bundle_path" {
  description = "Where the images carry the RDS CA bundle (build/images.sh puts it there): every connection to PostgreSQL verifies the server against it (sslmode=verify-full)."
  type        = string
  default     = "/etc/ssl/rds/global-bundle.pem"
}

variable "db_role_password_version" {
  description = "Raise it to give every service's database role a new password (then run the init task and redeploy; terraform/README.md)."
  type        = number
  default     = 1
}

variable "db_public_ingress_cidrs" {
  description = "The seed's open 5432, for these CIDRs; honoured only with db_publicly_accessible."
  type        = list(string)
  default     = []
}

# ---- Telemetry ---------------------------------------------------------------

variable "telemetry_collector" {
  description = "Run an OpenTelemetry collector (ADOT) beside every service, which sends its spans to X-Ray and its metrics to CloudWatch. False: no sidecar, no OTEL_ settings, the services export nothing."
  type        = bool
  default     = true
}

variable "telemetry_collector_image" {
  description = "The AWS Distro for OpenTelemetry collector image, pulled from ECR Public (anonymously, through the NAT: the execution role needs no permission for it)."
  type        = string
  default     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.50.0"
}

variable "trace_sample_ratio" {
  description = "The share of traces recorded, 0 to 1: decided where a trace starts, followed by every service it reaches."
  type        = number
  default     = 1
  validation {
    condition     = var.trace_sample_ratio >= 0 && var.trace_sample_ratio <= 1
    error_message = "trace_sample_ratio is between 0 and 1."
  }
}

variable "metrics_namespace" {
  description = "The CloudWatch namespace of the services' own metrics."
  type        = string
  default     = "Comanda"
}

variable "create_alarms" {
  description = "Make the CloudWatch alarms (dead letters, queue and outbox age, 5xx rates)."
  type        = bool
  default     = true
}

variable "create_alarm_topic" {
  description = "Make the SNS topic the alarms notify (<name>-alarms)."
  type        = bool
  default     = true
}

variable "alarm_topic_arns" {
  description = "More SNS topics every alarm notifies, when it fires and when it clears (an existing on-call topic)."
  type        = list(string)
  default     = []
}

variable "alarm_message_age_seconds" {
  description = "Alarm when a queue's oldest message, or an outbox's, has waited longer than this."
  type        = number
  default     = 60
}

variable "alarm_5xx_percent" {
  description = "Alarm when more than this percentage of a service's requests (or of the ALB's) end in a 5xx over five minutes."
  type        = number
  default     = 5
}

variable "alarm_5xx_min_requests" {
  description = "Fewer requests than this in five minutes never raise a 5xx alarm."
  type        = number
  default     = 20
}
