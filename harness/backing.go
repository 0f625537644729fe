package harness

import (
	"context"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// Backing is the system's backing services reached directly, without any
// service in between: the load tool's floor run does the flow's I/O on them.
type Backing struct {
	// AWS reaches the emulator directly (not through the services' fault doors).
	AWS       awsconf.Clients
	AWSConfig awsconf.Config
	// FakeURL and AccessToken reach the fake Mercado Pago as its API clients do.
	FakeURL     string
	AccessToken string
	// CreateDatabase makes an empty database on the system's PostgreSQL and
	// returns its URL; the caller picks a unique name.
	CreateDatabase func(ctx context.Context, name string) (string, error)
}

// Backing returns the system's backing services.
func (s *System) Backing() Backing {
	return Backing{
		AWS: s.aws.Clients, AWSConfig: s.aws.Config,
		FakeURL: s.FakeURL, AccessToken: s.AccessToken,
		CreateDatabase: s.pg.CreateDatabase,
	}
}
