terraform {
  # 1.10: the S3 backend locks with a lock file in the bucket (use_lockfile);
  # 1.11: write-only arguments (the database roles' passwords).
  required_version = ">= 1.11"

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
