output "key_id" {
  description = "The key id, which is also the tokens' kid."
  value       = local.key_id
}

output "key_arn" {
  value = local.key_arn
}

output "public_key_pem" {
  value = data.aws_kms_public_key.jwt.public_key_pem
}
