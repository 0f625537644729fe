# The alarms: a dead letter, a queue or an outbox falling behind, a
# service (or the ALB) answering 5xx. Each notifies the topic made here and
# any topics given, when it fires and when it clears. Missing data is
# healthy for those on AWS's metrics: SQS stops reporting a queue idle for
# six hours (an empty dead-letter queue is idle), the ALB reports no 5xx
# count when there are none and nothing at all without requests. Not for
# the outboxes' (below).

locals {
  alarm_actions = concat(aws_sns_topic.alarms[*].arn, var.alarm_topic_arns)
  alarms        = var.create_alarms ? 1 : 0
}

# Unencrypted: CloudWatch can publish to an encrypted topic only with a
# customer managed key whose policy lets it, and alarm notifications carry
# names and numbers, nothing secret. Same-account alarms publish to it
# under its default policy.
resource "aws_sns_topic" "alarms" {
  count = var.create_alarm_topic ? 1 : 0
  name  = "${var.name}-alarms"
}

# A consumer gave up on a message (five receives, or a message that can
# never succeed): nobody reads a dead-letter queue, so the alarm stays on
# until someone looks, fixes the cause and redrives or deletes it.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each            = var.create_alarms ? var.queues : {}
  alarm_name          = "${var.name}-${each.key}-dead-letters"
  alarm_description   = "A message is waiting in ${each.value.dead_letter_queue_name}: its consumer gave up on it. Find why in the consumer's logs, then redrive it to ${each.value.queue_name} or delete it."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value.dead_letter_queue_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# A queue's consumer stopped or falls behind. Three minutes in a row: one
# message being retried (30 s visibility timeout) can be older than a
# minute for a moment, and SQS stops counting a message's age after its
# third receive.
resource "aws_cloudwatch_metric_alarm" "queue_age" {
  for_each            = var.create_alarms ? var.queues : {}
  alarm_name          = "${var.name}-${each.key}-oldest-message"
  alarm_description   = "The oldest message in ${each.value.queue_name} has waited more than ${var.message_age_threshold_seconds} s for three minutes: its consumer is down, failing or behind."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = each.value.queue_name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  threshold           = var.message_age_threshold_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# An outbox's relay cannot publish (SQS refuses, the relay is stuck). The
# gauge comes from the collector, once a minute per task: a minute can
# hold no point, so two minutes of three. Every task of a service reports
# the same outbox (0 when it is empty); the maximum is its age. No point
# at all means the service cannot read its outbox, or none of its
# collectors is sending: the alarm then says it no longer knows
# (INSUFFICIENT_DATA), which notifies too.
resource "aws_cloudwatch_metric_alarm" "outbox_age" {
  for_each                  = var.create_alarms && var.collector ? toset(var.outbox_services) : toset([])
  alarm_name                = "${var.name}-${each.key}-outbox-oldest"
  alarm_description         = "The oldest message in ${each.key}'s outbox has waited more than ${var.message_age_threshold_seconds} s: its relay is not publishing. Look at ${each.key}'s logs."
  namespace                 = var.namespace
  metric_name               = "comanda.outbox.oldest_age"
  dimensions                = { "deployment.environment" = var.deployment_environment, "service.name" = each.key }
  statistic                 = "Maximum"
  period                    = 60
  evaluation_periods        = 3
  datapoints_to_alarm       = 2
  threshold                 = var.message_age_threshold_seconds
  comparison_operator       = "GreaterThanThreshold"
  treat_missing_data        = "missing"
  alarm_actions             = local.alarm_actions
  ok_actions                = local.alarm_actions
  insufficient_data_actions = local.alarm_actions
}

# The share of a service's requests answered 5xx by its tasks, over five
# minutes, once there are enough requests to mean something. The ALB
# reports no 5xx count when there were none, hence FILL.
resource "aws_cloudwatch_metric_alarm" "http_5xx" {
  for_each            = var.create_alarms ? var.target_group_arn_suffixes : {}
  alarm_name          = "${var.name}-${each.key}-5xx"
  alarm_description   = "More than ${var.http_5xx_threshold_percent} % of ${each.key}'s requests ended in a 5xx over five minutes (at least ${var.http_5xx_min_requests} requests)."
  evaluation_periods  = 1
  threshold           = var.http_5xx_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    label       = "${each.key} 5xx (%)"
    expression  = "IF(requests >= ${var.http_5xx_min_requests}, 100 * FILL(errors, 0) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = each.value }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = each.value }
      stat        = "Sum"
      period      = 300
    }
  }
}

# The ALB's own 5xx (502, 503, 504): a service with no healthy task, or
# one that drops connections, never reaches its target group's counts. A
# request the ALB could not send anywhere is not in RequestCount either,
# so the share is of both.
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  count               = var.create_alarms ? 1 : 0
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "More than ${var.http_5xx_threshold_percent} % of the ALB's requests got a 5xx from the ALB itself over five minutes: a service has no healthy task, or its tasks drop connections."
  evaluation_periods  = 1
  threshold           = var.http_5xx_threshold_percent
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "rate"
    label       = "ALB 5xx (%)"
    expression  = "IF(FILL(requests, 0) + FILL(errors, 0) >= ${var.http_5xx_min_requests}, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.load_balancer_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }
}
