// Package auth is the auth service: it registers customers by CPF in
// DynamoDB and issues the RS256 access tokens every other service verifies
// (customer, anonymous customer and bootstrap employee), signed through KMS
// so that the private key never leaves it, and publishes the public key as a
// JWK set.
package auth
