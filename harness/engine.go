package harness

import (
	"context"
	"io"
	"time"
)

// Engine runs the system as containers instead of in this process:
// PostgreSQL, the AWS emulator, the fake Mercado Pago, the five services and
// the gateway stand-in, each from its image, every service configured only
// through its environment, as ECS configures it (harness/containers has the
// engine on testcontainers-go). Every container shares the host's network
// and listens on 127.0.0.1, on a port the harness chose; no bridge network
// is needed.
type Engine interface {
	// Describe names the engine and its images, for the log.
	Describe() string
	// Postgres starts PostgreSQL listening on 127.0.0.1:port and returns a
	// URL whose user may create databases, once it accepts connections.
	Postgres(ctx context.Context, port int) (url string, c Container, err error)
	// AWS starts an AWS emulator on 127.0.0.1:port and returns its endpoint
	// once it answers.
	AWS(ctx context.Context, port int) (endpoint string, c Container, err error)
	// Run creates and starts a container of one of Comanda's own images. It
	// does not wait: the harness knows what ready means for each.
	Run(ctx context.Context, spec ContainerSpec) (Container, error)
	// Close lets go of the engine; the system closes it last.
	Close() error
}

// ContainerSpec is one container of Comanda's own images.
type ContainerSpec struct {
	// Component names the image: auth, catalog, order, payment, production,
	// gateway, fake-mercadopago (comanda/<component> in build/images.sh).
	Component string
	// Cmd replaces the image's command; nil keeps it.
	Cmd []string
	// Env is the container's whole environment.
	Env map[string]string
	// Logs receives what the container prints, from every run of it.
	Logs io.Writer
}

// Container is one container the engine started, as the fault API drives
// it. Every method waits until the container is in the state it asks for.
type Container interface {
	// Describe names its image and where it listens, for the log.
	Describe() string
	// Start starts a stopped container again.
	Start(ctx context.Context) error
	// Stop sends SIGTERM, then SIGKILL if it is still running after grace.
	Stop(ctx context.Context, grace time.Duration) error
	// Kill sends SIGKILL, as a crash of the task would.
	Kill(ctx context.Context) error
	// Pause freezes every process of it; Unpause thaws them.
	Pause(ctx context.Context) error
	Unpause(ctx context.Context) error
	// Exited reports whether it has stopped, and its exit code if so.
	Exited(ctx context.Context) (exited bool, code int, err error)
	// Remove stops it at once if it runs and removes it.
	Remove(ctx context.Context) error
}
