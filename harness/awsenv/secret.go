package awsenv

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// keyAndSecret makes the JWT signing key (found again by its alias), then
// the project secret that names it and holds its public key.
func (p *provisioner) keyAndSecret(ctx context.Context, secret string) error {
	keyID, err := p.signingKey(ctx, "alias/"+p.prefix+"comanda-jwt")
	if err != nil {
		return err
	}
	pub, err := p.c.KMS.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		return fmt.Errorf("read public key of KMS key %s: %w", keyID, err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub.PublicKey}))
	value, err := json.Marshal(map[string]string{"jwt_key_id": keyID, "jwt_public_key_pem": pemKey})
	if err != nil {
		return fmt.Errorf("encode project secret: %w", err)
	}
	secretID := p.prefix + secret
	if err := p.putSecret(ctx, secretID, string(value)); err != nil {
		return err
	}
	p.update(func(r *Resources) { r.KeyID, r.PublicKeyPEM, r.SecretID = keyID, pemKey, secretID })
	return nil
}

// signingKey returns the enabled RSA 2048 signing key behind alias, making
// it (and pointing alias at it) when there is none.
func (p *provisioner) signingKey(ctx context.Context, alias string) (string, error) {
	found, err := p.c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if err == nil && found.KeyMetadata.KeyState == kmstypes.KeyStateEnabled &&
		found.KeyMetadata.KeySpec == kmstypes.KeySpecRsa2048 && found.KeyMetadata.KeyUsage == kmstypes.KeyUsageTypeSignVerify {
		return aws.ToString(found.KeyMetadata.KeyId), nil
	}
	if err != nil && !hasCode(err, "NotFoundException") {
		return "", fmt.Errorf("look up KMS key %s: %w", alias, err)
	}
	made, err := p.c.KMS.CreateKey(ctx, &kms.CreateKeyInput{
		KeySpec:     kmstypes.KeySpecRsa2048,
		KeyUsage:    kmstypes.KeyUsageTypeSignVerify,
		Description: aws.String("comanda JWT signing key (" + alias + ")"),
	})
	if err != nil {
		return "", fmt.Errorf("create KMS signing key: %w", err)
	}
	keyID := aws.ToString(made.KeyMetadata.KeyId)
	p.made(kindKey, keyID)
	if found != nil { // the alias points at an unusable key: move it
		if _, err := p.c.KMS.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(alias)}); err != nil {
			return "", fmt.Errorf("delete KMS alias %s: %w", alias, err)
		}
	}
	if _, err := p.c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: aws.String(keyID)}); err != nil {
		return "", fmt.Errorf("create KMS alias %s: %w", alias, err)
	}
	p.made(kindAlias, alias)
	return keyID, nil
}

// putSecret creates secret id with value, or gives an existing one value.
func (p *provisioner) putSecret(ctx context.Context, id, value string) error {
	_, err := p.c.SecretsManager.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: aws.String(id), SecretString: aws.String(value)})
	if err == nil {
		p.made(kindSecret, id)
		return nil
	}
	if !hasCode(err, "ResourceExistsException") {
		return fmt.Errorf("create secret %s: %w", id, err)
	}
	if _, err := p.c.SecretsManager.PutSecretValue(ctx, &secretsmanager.PutSecretValueInput{SecretId: aws.String(id), SecretString: aws.String(value)}); err != nil {
		return fmt.Errorf("update secret %s: %w", id, err)
	}
	return nil
}

// SigningKey returns the id of the RSA 2048 signing key behind alias (such
// as alias/comanda-jwt), making the key and the alias when there is none.
// The awsemu command makes the key Terraform's emulator profile looks up:
// kumo ignores the key spec Terraform sends, so Terraform cannot make it there.
func SigningKey(ctx context.Context, c awsconf.Clients, alias string) (string, error) {
	return newProvisioner(c, "").signingKey(ctx, alias)
}
