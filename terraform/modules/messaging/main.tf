# The queues of topology.json, each with its dead-letter queue: a message
# received max_receive_count (5) times without being deleted moves there.
# Consumers also dead-letter a message that can never succeed at once.
#
# Each queue's policy refuses every request not made over TLS, and lets
# only its senders send: to a queue, the producers topology.json lists
# (and the operators' redrive roles); to a dead-letter queue, the queue's
# consumers. SQS's own redrive to a dead-letter queue is not a request and
# needs no permission.

locals {
  # Off means unset, not false: an emulator that does not keep the
  # attribute then has nothing to disagree with.
  sse = var.sqs_managed_sse_enabled ? true : null

  policies = merge(
    { for q in var.queues.names : q => {
      arn     = aws_sqs_queue.this[q].arn
      url     = aws_sqs_queue.this[q].url
      senders = sort(distinct(concat(lookup(var.senders, q, []), var.redrive_role_arns)))
    } },
    { for q in var.queues.names : "${q}${var.queues.dead_letter_suffix}" => {
      arn     = aws_sqs_queue.dead_letter[q].arn
      url     = aws_sqs_queue.dead_letter[q].url
      senders = sort(distinct(lookup(var.dead_letter_senders, q, [])))
    } },
  )
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

resource "aws_sqs_queue_policy" "this" {
  for_each  = local.policies
  queue_url = each.value.url
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [{
        Sid       = "DenyWithoutTLS"
        Effect    = "Deny"
        Principal = "*"
        Action    = "sqs:*"
        Resource  = each.value.arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
        }, merge({
          Sid       = "OnlySendersSend"
          Effect    = "Deny"
          Principal = "*"
          Action    = "sqs:SendMessage"
          Resource  = each.value.arn
          }, length(each.value.senders) == 0 ? {} : {
          Condition = { ArnNotEquals = { "aws:PrincipalArn" = each.value.senders } }
      })],
      length(each.value.senders) == 0 ? [] : [{
        Sid       = "SendersSend"
        Effect    = "Allow"
        Principal = { AWS = each.value.senders }
        Action    = "sqs:SendMessage"
        Resource  = each.value.arn
      }],
    )
  })
}
