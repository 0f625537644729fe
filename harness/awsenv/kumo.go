package awsenv

import (
	"crypto/rand"
	"strings"
	"sync"

	"github.com/sivchari/kumo"
)

const kumoVersion = kumo.Version

// kumoStart serializes kumo.NewServer: its services are process-wide
// singletons that each new server re-wires, and two servers being made at
// once race on that wiring. This is the package's one global, guarding
// another package's.
var kumoStart sync.Mutex

type kumoServer struct{ srv *kumo.Server }

func startKumo() *kumoServer {
	kumoStart.Lock()
	defer kumoStart.Unlock()
	return &kumoServer{srv: kumo.NewServer()}
}

func (k *kumoServer) URL() string { return k.srv.URL }

func (k *kumoServer) Close() { k.srv.Close() }

// NewPrefix returns a fresh name prefix such as "t3f9a0c-": short, since
// SQS names stop at 80 characters, and valid in every AWS name it goes into.
func NewPrefix() string {
	return "t" + strings.ToLower(rand.Text()[:6]) + "-"
}
