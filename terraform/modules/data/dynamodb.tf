# The DynamoDB tables of topology.json, on demand, with their global
# secondary indexes (every attribute projected, as the harness makes them),
# point-in-time recovery, and time to live where the owner writes an
# expiry attribute.

locals {
  tables = { for t in var.tables : t.name => t }
  table_attributes = {
    for t in var.tables : t.name => distinct(compact(concat(
      [t.hash_key, t.range_key],
      var.create_table_indexes ? flatten([for ix in t.indexes : [ix.hash_key, ix.range_key]]) : [],
    )))
  }
}

resource "aws_dynamodb_table" "this" {
  for_each                    = local.tables
  name                        = "${var.table_prefix}${each.key}"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = each.value.hash_key
  range_key                   = each.value.range_key
  deletion_protection_enabled = var.table_deletion_protection

  dynamic "attribute" {
    for_each = local.table_attributes[each.key]
    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.create_table_indexes ? each.value.indexes : []
    content {
      name            = global_secondary_index.value.name
      hash_key        = global_secondary_index.value.hash_key
      range_key       = global_secondary_index.value.range_key
      projection_type = "ALL"
    }
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  dynamic "ttl" {
    for_each = each.value.ttl_attribute == null ? [] : [each.value.ttl_attribute]
    content {
      enabled        = true
      attribute_name = ttl.value
    }
  }
}
