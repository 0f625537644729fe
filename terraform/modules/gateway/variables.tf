variable "name" {
  description = "Name of the deployment."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  description = "Where the VPC link's network interfaces go."
  type        = list(string)
}

variable "alb_security_group_id" {
  description = "The internal ALB's security group, the only place the VPC link may send to."
  type        = string
}

variable "listener_arn" {
  description = "The internal ALB's HTTP listener, target of the private integration."
  type        = string
}

variable "enable_vpc_link" {
  description = "Make the VPC link and the HTTP_PROXY integration through it (the API routes nowhere without them)."
  type        = bool
  default     = true
}

variable "create_security_group_rules" {
  description = "Make the VPC link security group's rules."
  type        = bool
  default     = true
}

variable "client_ip_header" {
  description = "The request header the services take the client's address from (topology.json's client_ip_header); the integration overwrites it on every request."
  type        = string
}

variable "cors_expose_headers" {
  description = "Response headers browsers may read."
  type        = list(string)
  default     = ["X-Request-Id", "X-Correlation-Id"]
}

variable "throttling_burst_limit" {
  type    = number
  default = 200
}

variable "throttling_rate_limit" {
  description = "Steady requests per second across the API."
  type        = number
  default     = 100
}

variable "log_retention_days" {
  type    = number
  default = 30
}
