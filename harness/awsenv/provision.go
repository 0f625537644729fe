package awsenv

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

// Resources are the provisioned names, keyed by the topology's base names.
// Queue URLs are as the emulator reports them (kumo always says
// localhost:4566); SDK clients send every call to their own endpoint, so
// the URLs work whatever the port.
type Resources struct {
	Queues           map[string]string // base queue name -> queue URL
	DeadLetterQueues map[string]string // base queue name -> its dead-letter queue's URL
	Tables           map[string]string // base table name -> prefixed table name
	SecretID         string            // prefixed project secret name
	KeyID            string            // KMS key that signs JWTs
	PublicKeyPEM     string            // its public half, as in the secret

	created []resource // what Provision made (not found), for teardown
}

// resource is one thing Provision made: a kind and its id.
type resource struct{ kind, id string }

const (
	kindQueue  = "queue"
	kindTable  = "table"
	kindSecret = "secret"
	kindAlias  = "alias"
	kindKey    = "key"
)

// Provision makes, under prefix, every queue (with its dead-letter queue),
// table, the JWT signing key and the project secret that top describes, all
// at once. It is idempotent: what exists is reused (queue attributes and
// the secret's value are brought up to date). On error the Resources still
// list what was made, so that it can be cleaned up.
func Provision(ctx context.Context, c awsconf.Clients, top topology.Topology, prefix string) (Resources, error) {
	if strings.TrimFunc(prefix, validPrefixRune) != "" {
		return Resources{}, fmt.Errorf("name prefix %q: only letters, digits, - and _ fit every AWS name", prefix)
	}
	p := newProvisioner(c, prefix)
	g, gctx := errgroup.WithContext(ctx)
	for _, q := range top.Queues.Names {
		g.Go(func() error { return p.queue(gctx, top.Queues, q) })
	}
	for _, t := range top.Tables {
		g.Go(func() error { return p.table(gctx, t) })
	}
	g.Go(func() error { return p.keyAndSecret(gctx, top.Secret) })
	err := g.Wait()
	return p.res, err
}

// provisioner collects results from provisioning goroutines.
type provisioner struct {
	c      awsconf.Clients
	prefix string
	mu     sync.Mutex
	res    Resources
}

func newProvisioner(c awsconf.Clients, prefix string) *provisioner {
	return &provisioner{c: c, prefix: prefix, res: Resources{
		Queues:           map[string]string{},
		DeadLetterQueues: map[string]string{},
		Tables:           map[string]string{},
	}}
}

// update runs fn on the results under the lock.
func (p *provisioner) update(fn func(r *Resources)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(&p.res)
}

func (p *provisioner) made(kind, id string) {
	p.update(func(r *Resources) { r.created = append(r.created, resource{kind, id}) })
}

// validPrefixRune is what queue, table, secret and KMS alias names all allow.
func validPrefixRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}
