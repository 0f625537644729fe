# The queues of topology.json, each with its dead-letter queue: a message
# received max_receive_count (5) times without being deleted moves there.
# Consumers also dead-letter a message that can never succeed at once.

locals {
  # Off means unset, not false: an emulator that does not keep the
  # attribute then has nothing to disagree with.
  sse = var.sqs_managed_sse_enabled ? true : null
}

resource "aws_sqs_queue" "dead_letter" {
  for_each                  = toset(var.queues.names)
  name                      = "${var.name_prefix}${each.key}${var.queues.dead_letter_suffix}"
  message_retention_seconds = var.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = local.sse
}

resource "aws_sqs_queue" "this" {
  for_each                   = toset(var.queues.names)
  name                       = "${var.name_prefix}${each.key}"
  visibility_timeout_seconds = var.queues.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  sqs_managed_sse_enabled    = local.sse
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.key].arn
    maxReceiveCount     = var.queues.max_receive_count
  })
}
