variable "name" {
  description = "Name of the deployment: the RDS instance's identifier."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "public_subnet_ids" {
  description = "Used only when publicly_accessible is set."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Name => security group allowed to reach PostgreSQL: the services that own a database, and the database init task."
  type        = map(string)
}

variable "create_rds" {
  description = "Make the RDS instance, its subnet group and security group."
  type        = bool
  default     = true
}

variable "engine_version" {
  description = "PostgreSQL major (or major.minor) version."
  type        = string
  default     = "16"
}

variable "instance_class" {
  type    = string
  default = "db.t4g.micro"
}

variable "allocated_storage" {
  description = "GiB."
  type        = number
  default     = 20
}

variable "max_allocated_storage" {
  description = "GiB storage autoscaling may grow to."
  type        = number
  default     = 100
}

variable "multi_az" {
  type    = bool
  default = false
}

variable "username" {
  description = "The master user; its password is made and rotated by RDS in Secrets Manager, never seen by Terraform."
  type        = string
  default     = "comanda"
}

variable "backup_retention_days" {
  type    = number
  default = 7
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "skip_final_snapshot" {
  type    = bool
  default = false
}

variable "publicly_accessible" {
  description = "The seed's placement: RDS in the public subnets with a public address. Off: the database is private, reachable only from the services."
  type        = bool
  default     = false
}

variable "public_ingress_cidrs" {
  description = "The seed's open 5432: CIDRs allowed to reach PostgreSQL directly. Honoured only with publicly_accessible."
  type        = list(string)
  default     = []
}

variable "create_security_group_rules" {
  type    = bool
  default = true
}

variable "tables" {
  description = "topology.json's tables, made under table_prefix; ttl_attribute (epoch seconds) turns time to live on."
  type = list(object({
    name          = string
    hash_key      = string
    range_key     = optional(string)
    ttl_attribute = optional(string)
    indexes = list(object({
      name      = string
      hash_key  = string
      range_key = optional(string)
    }))
  }))
}

variable "table_prefix" {
  description = "In front of every table name (the harness's QUEUE_PREFIX-style prefix); empty in a normal deployment."
  type        = string
  default     = ""
}

variable "create_table_indexes" {
  description = "Make each table's global secondary indexes (the services query them)."
  type        = bool
  default     = true
}

variable "point_in_time_recovery" {
  type    = bool
  default = true
}

variable "table_deletion_protection" {
  type    = bool
  default = true
}
