output "collector_config" {
  description = "The collector's configuration (YAML), for its AOT_CONFIG_CONTENT; null without the collector."
  value       = var.collector ? local.collector_config : null
}

output "metrics_log_group_arn" {
  value = var.collector ? aws_cloudwatch_log_group.metrics[0].arn : null
}

output "metrics_log_group_name" {
  value = var.collector ? aws_cloudwatch_log_group.metrics[0].name : null
}

output "alarm_topic_arn" {
  value = var.create_alarm_topic ? aws_sns_topic.alarms[0].arn : null
}

output "alarms" {
  description = "Alarm name => what it watches (namespace/metric, its dimensions, the statistic or the expression), its threshold, how missing data counts and whom it notifies (firing, clearing, without data)."
  value = merge(
    {
      for a in concat(values(aws_cloudwatch_metric_alarm.dead_letters), values(aws_cloudwatch_metric_alarm.queue_age), values(aws_cloudwatch_metric_alarm.outbox_age)) : a.alarm_name => {
        metrics            = ["${a.namespace}/${a.metric_name} ${jsonencode(a.dimensions)}"]
        statistic          = a.statistic
        expression         = null
        period             = a.period
        datapoints         = "${coalesce(a.datapoints_to_alarm, a.evaluation_periods)}/${a.evaluation_periods}"
        threshold          = a.threshold
        treat_missing_data = a.treat_missing_data
        alarm_actions      = a.alarm_actions
        ok_actions         = a.ok_actions
        no_data_actions    = a.insufficient_data_actions
      }
    },
    {
      for a in concat(values(aws_cloudwatch_metric_alarm.http_5xx), aws_cloudwatch_metric_alarm.alb_5xx) : a.alarm_name => {
        metrics            = sort([for q in a.metric_query : "${one(q.metric).namespace}/${one(q.metric).metric_name} ${jsonencode(one(q.metric).dimensions)}" if length(q.metric) > 0])
        statistic          = one(distinct([for q in a.metric_query : one(q.metric).stat if length(q.metric) > 0]))
        expression         = one([for q in a.metric_query : q.expression if q.return_data == true])
        period             = one(distinct([for q in a.metric_query : one(q.metric).period if length(q.metric) > 0]))
        datapoints         = "${coalesce(a.datapoints_to_alarm, a.evaluation_periods)}/${a.evaluation_periods}"
        threshold          = a.threshold
        treat_missing_data = a.treat_missing_data
        alarm_actions      = a.alarm_actions
        ok_actions         = a.ok_actions
        no_data_actions    = a.insufficient_data_actions
      }
    },
  )
}
