variable "name" {
  description = "Name of the deployment: the key's alias is alias/<name>-jwt."
  type        = string
}

variable "create_key" {
  description = "Make the signing key here; false uses existing_key_id instead."
  type        = bool
  default     = true
}

variable "existing_key_id" {
  description = "An RSA_2048 SIGN_VERIFY key (id, ARN or alias) to use when create_key is false."
  type        = string
  default     = null
}

variable "deletion_window_in_days" {
  type    = number
  default = 30
}
