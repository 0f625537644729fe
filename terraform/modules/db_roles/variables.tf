variable "roles" {
  description = "Service name => the PostgreSQL role it logs in as, and the name of the secret that holds the role's password."
  type = map(object({
    role        = string
    secret_name = string
  }))
}

variable "password_version" {
  description = "Raise it to draw a new password for every role (write-only: the old one is never read back)."
  type        = number
  default     = 1
}

variable "recovery_window_in_days" {
  description = "0 deletes at once; 7 to 30 keep a deleted secret restorable (and its name taken)."
  type        = number
  default     = 7
}
