package harness

import (
	"context"
	"time"

	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/token"
)

// SignToken signs an access token with the system's own KMS key, exactly as
// the auth service does, valid for ttl from now (a negative ttl makes it
// already expired). It is for tests of what the services make of tokens the
// auth service would never issue, such as expired ones.
func (s *System) SignToken(ctx context.Context, role, subject, name string, ttl time.Duration) (string, error) {
	var cfg token.Config // the services' defaults, which the harness keeps
	if err := config.LoadFrom(ctx, map[string]string{}, &cfg); err != nil {
		return "", err
	}
	signer := token.NewSigner(s.aws.Clients.KMS, s.aws.KeyID, cfg)
	return signer.Sign(ctx, token.Principal{ID: subject, Name: name, Role: role}, ttl)
}
