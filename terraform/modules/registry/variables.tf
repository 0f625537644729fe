variable "name" {
  description = "Repositories are <name>/<service>."
  type        = string
}

variable "services" {
  type = list(string)
}

variable "image_tag_mutability" {
  description = "IMMUTABLE: a tag (the git commit) always means the same image."
  type        = string
  default     = "IMMUTABLE"
}

variable "keep_images" {
  description = "How many images each repository keeps."
  type        = number
  default     = 30
}

variable "force_delete" {
  description = "Let terraform destroy remove repositories that still hold images."
  type        = bool
  default     = false
}
