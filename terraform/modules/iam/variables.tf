variable "name" {
  description = "Name of the deployment: roles are <name>-<service>-task and <name>-<service>-execution."
  type        = string
}

variable "services" {
  description = "Per service, the ARNs of exactly what it may touch."
  type = map(object({
    log_group_arn        = string
    read_secret_arns     = list(string)
    injected_secret_arns = list(string)
    table_arns           = list(string)
    consume_queues = list(object({
      queue_arn       = string
      dead_letter_arn = string
    }))
    publish_queue_arns  = list(string)
    sign_key_arn        = optional(string)
    ecr_repository_arns = list(string)
    # Its OpenTelemetry collector's: spans to X-Ray, metrics (EMF records)
    # to this log group.
    write_traces          = optional(bool, false)
    metrics_log_group_arn = optional(string)
  }))
}

variable "db_init" {
  description = "The database init task's execution role: its log group, the secrets it injects, the ECR repositories of its image. Null: none."
  type = object({
    log_group_arn        = string
    injected_secret_arns = list(string)
    ecr_repository_arns  = list(string)
  })
  default = null
}
