terraform {
  required_version = ">= 1.11" # write-only arguments
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 6.0"
    }
  }
}
