variable "name" {
  description = "Name of the deployment, in every resource's Name tag."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 CIDR; each subnet takes a /4 slice of it (a /20 of a /16)."
  type        = string
  validation {
    condition     = can(cidrsubnet(var.cidr_block, 4, 15))
    error_message = "cidr_block must be a valid IPv4 CIDR of /24 or larger."
  }
}

variable "availability_zones" {
  description = "The zones to spread subnets over, one public and one private subnet in each."
  type        = list(string)
  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 8
    error_message = "Use between two and eight availability zones."
  }
}

variable "enable_nat_gateway" {
  description = "Give the private subnets egress through NAT gateways (Elastic IPs included)."
  type        = bool
  default     = true
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone, so that losing a zone does not cut the others' egress; false keeps one for the whole VPC."
  type        = bool
  default     = false
}

variable "create_route_tables" {
  description = "Make the route tables (public to the internet gateway, private to the NAT gateways)."
  type        = bool
  default     = true
}
