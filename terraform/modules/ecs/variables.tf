variable "name" {
  description = "Name of the deployment: the cluster's, and the prefix of every service's resources."
  type        = string
}

variable "region" {
  description = "For the containers' awslogs driver."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  description = "Where the tasks run, with no public IP."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "The only source allowed to reach the containers."
  type        = string
}

variable "listener_arn" {
  description = "The internal ALB listener that gets one rule per route."
  type        = string
}

variable "service_names" {
  description = "Every service (topology.json's services): each gets a log group, a security group and a target group."
  type        = list(string)
}

variable "routes" {
  description = "topology.json's routes: each becomes a listener rule with path patterns prefix and prefix/*."
  type = list(object({
    prefix   = string
    service  = string
    priority = number
  }))
}

variable "services" {
  description = "Each service's task: image, size, environment, secrets (env name => Secrets Manager valueFrom) and roles."
  type = map(object({
    image              = string
    cpu                = number
    memory             = number
    desired_count      = number
    environment        = map(string)
    secrets            = map(string)
    task_role_arn      = string
    execution_role_arn = string
  }))
}

variable "collector" {
  description = "The OpenTelemetry collector to run beside every service: its image (ADOT) and its configuration (YAML). Null: none."
  type = object({
    image  = string
    config = string
  })
  default = null
}

variable "database_clients" {
  description = "The services that own a database: their tasks may reach PostgreSQL, at database_security_group_id only."
  type        = list(string)
  default     = []
}

variable "database_security_group_id" {
  description = "The RDS instance's security group (null without RDS)."
  type        = string
  default     = null
}

variable "alb_clients" {
  description = "The services that call others through the internal ALB: their tasks may send HTTP to it."
  type        = list(string)
  default     = []
}

variable "create_db_init" {
  description = "Make the database init task (with RDS): its log group, security group and, with create_services, its task definition from db_init."
  type        = bool
  default     = false
}

variable "db_init" {
  description = "The one-off task that makes each service's role and database as the master user (services/dbinit): image, execution role, environment and secrets."
  type = object({
    image              = string
    execution_role_arn = string
    environment        = map(string)
    secrets            = map(string)
  })
  default = null
}

variable "create_services" {
  description = "Make the task definitions and the ECS services (everything else here is made regardless)."
  type        = bool
  default     = true
}

variable "create_security_group_rules" {
  type    = bool
  default = true
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "health_check_path" {
  description = "What the target groups probe; every service answers it while its process is up."
  type        = string
  default     = "/healthz"
}

variable "container_insights" {
  description = "Turn Container Insights on for the cluster; false leaves the account's default."
  type        = bool
  default     = true
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64; the images must be built for it."
  type        = string
  default     = "X86_64"
  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture is X86_64 or ARM64."
  }
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "deregistration_delay" {
  description = "Seconds the ALB keeps draining a stopping task; the services finish in-flight requests well within it."
  type        = number
  default     = 30
}
