# PostgreSQL for catalog and order, each in a database of its own owned by
# a role of its own (made by the database init task, services/dbinit).
# Private by default: the seed's public placement and open 5432 need both
# publicly_accessible and public_ingress_cidrs. The master password is
# RDS-managed in Secrets Manager (manage_master_user_password): Terraform
# never holds it, and only the init task gets it from that secret.

resource "aws_db_subnet_group" "this" {
  count       = var.create_rds ? 1 : 0
  name        = var.name
  description = "Comanda PostgreSQL (${var.publicly_accessible ? "public" : "private"} subnets)"
  subnet_ids  = var.publicly_accessible ? var.public_subnet_ids : var.private_subnet_ids
}

resource "aws_security_group" "db" {
  count       = var.create_rds ? 1 : 0
  name        = "${var.name}-db"
  description = "PostgreSQL: in from the services that own a database"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "from_services" {
  for_each                     = var.create_rds && var.create_security_group_rules ? var.client_security_group_ids : {}
  security_group_id            = aws_security_group.db[0].id
  description                  = "PostgreSQL from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_ingress_rule" "public" {
  for_each          = var.create_rds && var.create_security_group_rules && var.publicly_accessible ? toset(var.public_ingress_cidrs) : toset([])
  security_group_id = aws_security_group.db[0].id
  description       = "PostgreSQL from outside the VPC (publicly_accessible)"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = each.value
}

resource "aws_db_instance" "this" {
  count                       = var.create_rds ? 1 : 0
  identifier                  = var.name
  engine                      = "postgres"
  engine_version              = var.engine_version
  instance_class              = var.instance_class
  allocated_storage           = var.allocated_storage
  max_allocated_storage       = var.max_allocated_storage
  storage_type                = "gp3"
  storage_encrypted           = true
  username                    = var.username
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.this[0].name
  vpc_security_group_ids      = [aws_security_group.db[0].id]
  publicly_accessible         = var.publicly_accessible
  multi_az                    = var.multi_az
  backup_retention_period     = var.backup_retention_days
  copy_tags_to_snapshot       = true
  auto_minor_version_upgrade  = true
  deletion_protection         = var.deletion_protection
  skip_final_snapshot         = var.skip_final_snapshot
  final_snapshot_identifier   = var.skip_final_snapshot ? null : "${var.name}-final"
}
