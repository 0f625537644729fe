variable "endpoint" {
  description = "The emulator's URL, as harness/cmd/awsemu prints it."
  type        = string
}

variable "signing_key_alias" {
  description = "The RSA 2048 signing key awsemu made (AWSEMU_SIGNING_KEY_ALIAS)."
  type        = string
  default     = "alias/comanda-jwt"
}

variable "resource_prefix" {
  type    = string
  default = "smoke-"
}
