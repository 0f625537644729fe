variable "project_secret_name" {
  description = "topology.json's secret, with the deployment's prefix: what services read as PROJECT_SECRET_ID."
  type        = string
}

variable "jwt_key_id" {
  type = string
}

variable "jwt_public_key_pem" {
  type = string
}

variable "infrastructure" {
  description = "Ids and endpoints written into the project secret beside the JWT key (VPC, API, ALB, listener, cluster, RDS); values may be null."
  type        = map(string)
}

variable "service_secrets" {
  description = "Service name => name of a secret whose value an operator puts in (credentials Terraform must not hold)."
  type        = map(string)
  default     = {}
}

variable "recovery_window_in_days" {
  description = "0 deletes at once; 7 to 30 keep a deleted secret restorable (and its name taken)."
  type        = number
  default     = 7
}
