# One task role per service, allowed only its own tables, queues, key
# operation and the project secret (and, with its collector, writing its
# traces and metrics); and one execution role per service (and for the
# database init task), which ECS uses to pull its image, write its logs and
# inject its secrets.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Both roles are assumed only by ECS acting for this account, in this
  # region (confused deputy protection, as the ECS documentation
  # recommends): another account's task naming one of them gets nothing.
  assume_role = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id }
        ArnLike      = { "aws:SourceArn" = "arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*" }
      }
    }]
  })

  # Every execution role: the services', and the database init task's.
  executions = merge(
    { for s, a in var.services : s => {
      log_group_arn        = a.log_group_arn
      injected_secret_arns = a.injected_secret_arns
      ecr_repository_arns  = a.ecr_repository_arns
    } },
    var.db_init == null ? {} : { dbinit = var.db_init },
  )

  task_statements = {
    for s, a in var.services : s => concat(
      [{
        Sid      = "ReadProjectSecret"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = a.read_secret_arns
      }],
      # TransactWriteItems has no IAM action of its own: each item is
      # authorized as its PutItem, UpdateItem or ConditionCheckItem.
      length(a.table_arns) == 0 ? [] : [{
        Sid    = "OwnTables"
        Effect = "Allow"
        Action = [
          "dynamodb:ConditionCheckItem",
          "dynamodb:DescribeTable",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
        ]
        Resource = flatten([for arn in a.table_arns : [arn, "${arn}/index/*"]])
      }],
      length(a.consume_queues) == 0 ? [] : [{
        Sid    = "ConsumeOwnQueues"
        Effect = "Allow"
        Action = [
          "sqs:ChangeMessageVisibility",
          "sqs:DeleteMessage",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
          "sqs:ReceiveMessage",
        ]
        Resource = [for q in a.consume_queues : q.queue_arn]
        }, {
        Sid      = "DeadLetterOwnQueues"
        Effect   = "Allow"
        Action   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
        Resource = [for q in a.consume_queues : q.dead_letter_arn]
      }],
      length(a.publish_queue_arns) == 0 ? [] : [{
        Sid      = "PublishEvents"
        Effect   = "Allow"
        Action   = ["sqs:GetQueueUrl", "sqs:SendMessage"]
        Resource = a.publish_queue_arns
      }],
      a.sign_key_arn == null ? [] : [{
        Sid      = "SignTokens"
        Effect   = "Allow"
        Action   = ["kms:Sign"]
        Resource = [a.sign_key_arn]
      }],
      # The collector sidecar runs with the task role. X-Ray's actions have
      # no resource to scope them to. Sending segments is all its exporter
      # does: the sampling rules' actions serve X-Ray's remote sampling,
      # and the SDKs sample by OTEL_TRACES_SAMPLER.
      a.write_traces ? [{
        Sid      = "WriteTraces"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments"]
        Resource = ["*"]
      }] : [],
      # The EMF exporter writes to the log group Terraform made, making its
      # stream when missing; it never needs to make the group.
      a.metrics_log_group_arn == null ? [] : [{
        Sid      = "WriteMetrics"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${a.metrics_log_group_arn}:*"]
      }],
    )
  }

  # ecr:GetAuthorizationToken has no resource to scope it to; the pull
  # itself is allowed only from the repositories the task's image is in.
  execution_statements = {
    for s, a in local.executions : s => concat(
      [{
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${a.log_group_arn}:*"]
      }],
      length(a.ecr_repository_arns) == 0 ? [] : [{
        Sid      = "EcrLogin"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = ["*"]
        }, {
        Sid      = "PullImage"
        Effect   = "Allow"
        Action   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = a.ecr_repository_arns
      }],
      length(a.injected_secret_arns) == 0 ? [] : [{
        Sid      = "InjectSecrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = a.injected_secret_arns
      }],
    )
  }
}

resource "aws_iam_role" "task" {
  for_each           = var.services
  name               = "${var.name}-${each.key}-task"
  description        = "The ${each.key} service's own AWS access"
  assume_role_policy = local.assume_role
}

resource "aws_iam_role_policy" "task" {
  for_each = var.services
  name     = "own-resources"
  role     = aws_iam_role.task[each.key].id
  policy   = jsonencode({ Version = "2012-10-17", Statement = local.task_statements[each.key] })
}

resource "aws_iam_role" "execution" {
  for_each           = local.executions
  name               = "${var.name}-${each.key}-execution"
  description        = "ECS starting ${each.key}: image, logs, injected secrets"
  assume_role_policy = local.assume_role
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.executions
  name     = "start-task"
  role     = aws_iam_role.execution[each.key].id
  policy   = jsonencode({ Version = "2012-10-17", Statement = local.execution_statements[each.key] })
}
