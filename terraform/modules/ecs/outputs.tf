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
