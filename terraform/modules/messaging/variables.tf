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

variable "senders" {
  description = "Queue name => ARNs of the roles that may send to it (its producers); everyone else is refused."
  type        = map(list(string))
  default     = {}
}

variable "dead_letter_senders" {
  description = "Queue name => ARNs of the roles that may send to its dead-letter queue (its consumers)."
  type        = map(list(string))
  default     = {}
}

variable "redrive_role_arns" {
  description = "Roles that may also send to every queue (not dead-letter queue): whoever moves dead letters back, since a redrive sends as its caller."
  type        = list(string)
  default     = []
}
