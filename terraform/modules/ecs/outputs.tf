output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "security_group_ids" {
  description = "Service name => its tasks' security group."
  value       = { for s, sg in aws_security_group.service : s => sg.id }
}

output "target_group_arns" {
  value = { for s, tg in aws_lb_target_group.service : s => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Service name => its target group's ARN suffix, the TargetGroup dimension of its ALB metrics."
  value       = { for s, tg in aws_lb_target_group.service : s => tg.arn_suffix }
}

output "log_group_arns" {
  value = { for s, lg in aws_cloudwatch_log_group.service : s => lg.arn }
}

output "listener_rules" {
  description = "The listener rules as made, by route prefix: priority, service and path patterns (compared with topology.ListenerRules by the smoke test)."
  value = {
    for prefix, r in aws_lb_listener_rule.route : prefix => {
      priority      = r.priority
      service       = one([for s, tg in aws_lb_target_group.service : s if tg.arn == one(r.action).target_group_arn])
      path_patterns = sort(flatten([for c in r.condition : [for p in c.path_pattern : p.values]]))
    }
  }
}

output "service_names" {
  description = "The ECS services made (empty when create_services is off)."
  value       = [for s in aws_ecs_service.service : s.name]
}

output "container_definitions" {
  description = "Service name => its task's containers, as registered (empty when create_services is off)."
  value       = { for s, td in aws_ecs_task_definition.service : s => jsondecode(td.container_definitions) }
}

output "db_init_log_group_arn" {
  value = var.create_db_init ? aws_cloudwatch_log_group.db_init["dbinit"].arn : null
}

output "db_init_security_group_id" {
  value = var.create_db_init ? aws_security_group.db_init["dbinit"].id : null
}

output "db_init_container_definitions" {
  description = "The init task's containers, as registered (empty without it)."
  value       = [for td in aws_ecs_task_definition.db_init : jsondecode(td.container_definitions)]
}

output "db_init_run_task" {
  description = "The AWS CLI command that runs the init task once and prints its task ARN (null without it)."
  value = length(aws_ecs_task_definition.db_init) == 0 ? null : join(" ", [
    "aws ecs run-task --region ${var.region} --cluster ${aws_ecs_cluster.this.name}",
    "--task-definition ${aws_ecs_task_definition.db_init["dbinit"].arn} --launch-type FARGATE",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", var.private_subnet_ids)}],securityGroups=[${aws_security_group.db_init["dbinit"].id}],assignPublicIp=DISABLED}'",
    "--query 'tasks[0].taskArn' --output text",
  ])
}

output "egress" {
  description = "Service name => where its tasks may send (protocol/port, then a CIDR or a security group), as the rules made say."
  value = {
    for s in var.service_names : s => sort([
      for r in concat(
        [for k, r in aws_vpc_security_group_egress_rule.https : r if k == s],
        [for k, r in aws_vpc_security_group_egress_rule.postgres : r if k == s],
        [for k, r in aws_vpc_security_group_egress_rule.alb : r if k == s],
      ) : "${r.ip_protocol}/${r.to_port} ${coalesce(r.cidr_ipv4, r.referenced_security_group_id)}"
    ])
  }
}

output "db_init_egress" {
  value = sort([
    for r in concat(values(aws_vpc_security_group_egress_rule.db_init_https), values(aws_vpc_security_group_egress_rule.db_init_postgres)) :
    "${r.ip_protocol}/${r.to_port} ${coalesce(r.cidr_ipv4, r.referenced_security_group_id)}"
  ])
}
