package awsenv

import (
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
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

// Emulator is an in-process kumo. Every kumo in a process shares one state,
// so users of one keep apart by the names they give what they make.
// Clients reach it through a guard that works around a kumo data race.
type Emulator struct {
	srv   *kumo.Server
	guard *kumoGuard
}

// StartEmulator starts an in-process kumo; Start and awstest start theirs
// here, so that no two are made at once.
func StartEmulator() *Emulator { return startEmulator(nil) }

// StartEmulatorAt starts an in-process kumo served on addr (host:port), for
// clients that need a fixed endpoint, such as Terraform's provider in the
// emulator smoke test.
func StartEmulatorAt(addr string) (*Emulator, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s for the AWS emulator: %w", addr, err)
	}
	return startEmulator(ln), nil
}

func startEmulator(ln net.Listener) *Emulator {
	kumoStart.Lock()
	defer kumoStart.Unlock()
	srv := kumo.NewServer()
	return &Emulator{srv: srv, guard: newKumoGuard(srv, ln)}
}

// URL is the emulator's endpoint.
func (k *Emulator) URL() string { return k.guard.srv.URL }

// Handler serves the emulator in-process, guarded like URL: a client in
// this process (the harness's fault doors) can call it without a second
// HTTP exchange.
func (k *Emulator) Handler() http.Handler { return k.guard }

// Close stops the emulator.
func (k *Emulator) Close() {
	k.guard.close()
	k.srv.Close()
}

// NewPrefix returns a fresh name prefix such as "t3f9a0c-": short, since
// SQS names stop at 80 characters, and valid in every AWS name it goes into.
func NewPrefix() string {
	return "t" + strings.ToLower(rand.Text()[:6]) + "-"
}
