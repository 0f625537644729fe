# Where the services' OpenTelemetry goes: each task's collector sidecar
# (AWS Distro for OpenTelemetry, its configuration made here) takes OTLP
# over HTTP on the task's loopback and sends spans to X-Ray and metrics, as
# CloudWatch embedded metric format (EMF) records, to a log group of their
# own, from which CloudWatch extracts them into the namespace. The alarms
# on them and on AWS's own metrics are in alarms.tf.

locals {
  metrics_log_group_name = "/ecs/${var.name}/metrics"

  # Every dimension set starts with the deployment (two can share an
  # account and the namespace) and the service. Only what is declared here
  # becomes a CloudWatch metric, each with dimensions of few values: a
  # metric per value set is what CloudWatch charges for. Every label still
  # reaches the EMF record, for Logs Insights.
  base_dimensions = ["deployment.environment", "service.name"]
  metric_declarations = [
    # The outboxes: the oldest waiting message's age (seconds) and how
    # many wait. Alarmed (alarms.tf).
    {
      dimensions            = [local.base_dimensions]
      metric_name_selectors = ["^comanda\\.outbox\\.(oldest_age|messages)$"]
    },
    # Messages received, by queue and by what became of them (handled,
    # retried, requeued, dead_lettered).
    {
      dimensions            = [concat(local.base_dimensions, ["messaging.destination.name", "comanda.outcome"])]
      metric_name_selectors = ["^messaging\\.client\\.consumed\\.messages$"]
    },
    # Request latency, per service and per route (the route template, never
    # the path). Status codes stay in the records: the ALB counts them.
    {
      dimensions = [
        local.base_dimensions,
        concat(local.base_dimensions, ["http.route"]),
      ]
      metric_name_selectors = ["^http\\.server\\.request\\.duration$"]
    },
    # Orders entering each status, and from which.
    {
      dimensions = [
        concat(local.base_dimensions, ["to"]),
        concat(local.base_dimensions, ["from", "to"]),
      ]
      metric_name_selectors = ["^comanda\\.order\\.transitions$"]
    },
  ]

  collector_config = yamlencode({
    receivers = {
      # The services send to 127.0.0.1:4318: in awsvpc mode a task's
      # containers share its loopback, and nothing outside the task can
      # reach it.
      otlp = { protocols = { http = { endpoint = "127.0.0.1:4318" } } }
    }
    processors = {
      # The collector shares the task's memory with the service: past a
      # fifth of it, it refuses data (the SDKs retry, then drop) rather than
      # grow.
      memory_limiter = { check_interval = "1s", limit_percentage = 20, spike_limit_percentage = 5 }
      # The task's ECS metadata (cluster, task, its log group): X-Ray shows
      # where a span ran and links to its logs; EMF names its streams.
      resourcedetection = { detectors = ["ecs"], timeout = "5s", override = false }
      batch             = {}
    }
    exporters = {
      awsxray = { region = var.region }
      awsemf = {
        region          = var.region
        namespace       = var.namespace
        log_group_name  = local.metrics_log_group_name
        log_stream_name = "{TaskDefinitionFamily}/{TaskId}"
        # service.name and deployment.environment are resource attributes;
        # dimensions are made of labels.
        resource_to_telemetry_conversion = { enabled = true }
        # Only the dimension sets declared: no rolled-up copies.
        dimension_rollup_option = "NoDimensionRollup"
        # The SDKs send cumulative counters, which the exporter turns into
        # deltas; by default it drops each series' first value, so a
        # task's first dead letter would never be counted.
        retain_initial_value_of_delta_metric = true
        metric_declarations                  = local.metric_declarations
      }
    }
    service = {
      # Nothing scrapes the collector's own metrics.
      telemetry = { metrics = { level = "none" } }
      pipelines = {
        traces = {
          receivers  = ["otlp"]
          processors = ["memory_limiter", "resourcedetection", "batch"]
          exporters  = ["awsxray"]
        }
        metrics = {
          receivers  = ["otlp"]
          processors = ["memory_limiter", "resourcedetection", "batch"]
          exporters  = ["awsemf"]
        }
      }
    }
  })
}

# Made here, with a retention, rather than by the exporter: the task role
# then needs no logs:CreateLogGroup, and may write to this group alone.
resource "aws_cloudwatch_log_group" "metrics" {
  count             = var.collector ? 1 : 0
  name              = local.metrics_log_group_name
  retention_in_days = var.log_retention_days
}
