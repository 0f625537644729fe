terraform {
  # 1.10: the S3 backend locks with a lock file in the bucket (use_lockfile).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }

  # Partial configuration: terraform init -backend-config=backend.hcl
  # (see backend.hcl.example and terraform/README.md).
  backend "s3" {}
}
