variable "name" {
  description = "Name of the deployment (the load balancer's name; at most 32 characters)."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "target_security_group_ids" {
  description = "Service name => its tasks' security group: the only places the ALB may send to."
  type        = map(string)
}

variable "subnet_ids" {
  description = "The private subnets the internal ALB lives in."
  type        = list(string)
}

variable "ingress_security_group_ids" {
  description = "Security groups allowed to reach the listener over HTTP, by a name that says why (the VPC link; services that call others)."
  type        = map(string)
}

variable "target_port" {
  description = "The port the services' containers listen on."
  type        = number
  default     = 8080
}

variable "default_target_group_arn" {
  description = "Forward unmatched requests here; null answers them with a 404 in the API's error shape."
  type        = string
  default     = null
}

variable "create_security_group_rules" {
  type    = bool
  default = true
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "idle_timeout" {
  description = "Seconds; above API Gateway's 30 s integration timeout."
  type        = number
  default     = 60
}
