variable "name" {
  description = "Name of the deployment: in front of the topic's and the alarms' names, and the metrics log group's."
  type        = string
}

variable "region" {
  description = "Where the collector sends traces (X-Ray) and metrics (CloudWatch)."
  type        = string
}

variable "deployment_environment" {
  description = "The services' deployment.environment resource attribute, a dimension of every metric the collector makes: two deployments can share an account and the namespace."
  type        = string
}

variable "collector" {
  description = "Make what the collector sidecar needs: the metrics log group and its configuration."
  type        = bool
  default     = true
}

variable "namespace" {
  description = "The CloudWatch namespace of the services' own metrics."
  type        = string
  default     = "Comanda"
}

variable "log_retention_days" {
  description = "How long the metrics' EMF records stay in their log group (the metrics themselves stay in CloudWatch for 15 months regardless)."
  type        = number
  default     = 30
}

variable "create_alarms" {
  type    = bool
  default = true
}

variable "create_alarm_topic" {
  description = "Make the SNS topic every alarm notifies."
  type        = bool
  default     = true
}

variable "alarm_topic_arns" {
  description = "More SNS topics every alarm notifies (an existing on-call topic), besides the one made here."
  type        = list(string)
  default     = []
}

variable "queues" {
  description = "topology name => the queue's name and its dead-letter queue's, as made."
  type = map(object({
    queue_name             = string
    dead_letter_queue_name = string
  }))
  default = {}
}

variable "load_balancer_arn_suffix" {
  description = "The internal ALB's ARN suffix (app/<name>/<id>), its LoadBalancer dimension."
  type        = string
  default     = null
}

variable "target_group_arn_suffixes" {
  description = "Service name => its target group's ARN suffix (targetgroup/<name>/<id>), its TargetGroup dimension."
  type        = map(string)
  default     = {}
}

variable "outbox_services" {
  description = "The services with an outbox, which export comanda.outbox.oldest_age (alarmed only with the collector)."
  type        = list(string)
  default     = []
}

variable "message_age_threshold_seconds" {
  description = "Alarm when a queue's oldest message, or an outbox's oldest row, is older than this."
  type        = number
  default     = 60
}

variable "http_5xx_threshold_percent" {
  description = "Alarm when more than this share of a service's requests (or of the ALB's) end in a 5xx over five minutes."
  type        = number
  default     = 5
}

variable "http_5xx_min_requests" {
  description = "The 5xx alarms stay quiet over five minutes with fewer requests than this: one failure in two requests is not an outage."
  type        = number
  default     = 20
}
