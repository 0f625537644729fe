# The VPC: a public and a private subnet in each zone, an internet gateway
# for the public ones, and NAT gateways for the private ones' egress (the
# services reach AWS APIs, ECR and Mercado Pago through them).

locals {
  zones = { for i, az in var.availability_zones : az => i }
  # Public subnets take the first slices of the CIDR, private ones the
  # second half, so adding a zone never renumbers an existing subnet.
  nat_zones = var.enable_nat_gateway ? (var.nat_gateway_per_az ? var.availability_zones : [var.availability_zones[0]]) : []
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_subnet" "public" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, 4, each.value)
  tags              = { Name = "${var.name}-public-${each.key}", Tier = "public" }
}

resource "aws_subnet" "private" {
  for_each          = local.zones
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = cidrsubnet(var.cidr_block, 4, each.value + 8)
  tags              = { Name = "${var.name}-private-${each.key}", Tier = "private" }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_zones)
  domain   = "vpc"
  tags     = { Name = "${var.name}-nat-${each.key}" }

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  for_each      = toset(local.nat_zones)
  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id
  tags          = { Name = "${var.name}-${each.key}" }
}

resource "aws_route_table" "public" {
  count  = var.create_route_tables ? 1 : 0
  vpc_id = aws_vpc.this.id
  tags   = { Name = "${var.name}-public" }
}

resource "aws_route" "public_internet" {
  count                  = var.create_route_tables ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  for_each       = var.create_route_tables ? local.zones : {}
  subnet_id      = aws_subnet.public[each.key].id
  route_table_id = aws_route_table.public[0].id
}

# One private route table per zone, so that moving to a NAT gateway per
# zone changes routes, not tables.
resource "aws_route_table" "private" {
  for_each = var.create_route_tables ? local.zones : {}
  vpc_id   = aws_vpc.this.id
  tags     = { Name = "${var.name}-private-${each.key}" }
}

resource "aws_route" "private_nat" {
  for_each               = var.create_route_tables && var.enable_nat_gateway ? local.zones : {}
  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.nat_gateway_per_az ? each.key : local.nat_zones[0]].id
}

resource "aws_route_table_association" "private" {
  for_each       = var.create_route_tables ? local.zones : {}
  subnet_id      = aws_subnet.private[each.key].id
  route_table_id = aws_route_table.private[each.key].id
}
