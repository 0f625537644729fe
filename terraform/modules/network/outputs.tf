output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_cidr_block" {
  value = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "In the order of availability_zones."
  value       = [for az in var.availability_zones : aws_subnet.public[az].id]
}

output "private_subnet_ids" {
  description = "In the order of availability_zones."
  value       = [for az in var.availability_zones : aws_subnet.private[az].id]
}

output "nat_gateway_ids" {
  value = [for az in local.nat_zones : aws_nat_gateway.this[az].id]
}
