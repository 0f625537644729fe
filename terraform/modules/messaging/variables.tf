variable "queues" {
  description = "topology.json's queues: names, dead-letter suffix, maxReceiveCount, visibility timeout."
  type = object({
    names                      = list(string)
    dead_letter_suffix         = string
    max_receive_count          = number
    visibility_timeout_seconds = number
  })
}

variable "name_prefix" {
  description = "In front of every queue name (the services' QUEUE_PREFIX); empty in a normal deployment."
  type        = string
  default     = ""
}

variable "sqs_managed_sse_enabled" {
  description = "Encrypt messages at rest with SQS-managed keys (no KMS grants needed by producers or consumers)."
  type        = bool
  default     = true
}

variable "message_retention_seconds" {
  description = "How long an unconsumed message stays in a queue."
  type        = number
  default     = 345600 # 4 days
}

variable "dead_letter_retention_seconds" {
  description = "How long a dead letter waits to be looked at: the maximum, 14 days."
  type        = number
  default     = 1209600
}
