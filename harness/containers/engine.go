// Package containers is the harness's Engine on testcontainers-go: it runs
// PostgreSQL (through the postgres module), an AWS emulator (Comanda's
// embedded emulator as an image, or LocalStack through the localstack
// module), and Comanda's own images (build/images.sh), on any
// Docker-compatible engine that DOCKER_HOST names, Podman's included. Every
// container shares the host's network and listens on 127.0.0.1.
//
// testcontainers' reaper is not used (its image must be pulled): the
// harness removes every container it started when the system closes, and
// the containers carry a label to find any left by a run that was killed.
package containers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/services/platform/config"
)

// Config chooses the images. Its settings come from the environment.
type Config struct {
	// ImageTag picks comanda/<component>:<tag> for Comanda's own images,
	// as build/images.sh tags them.
	ImageTag string `env:"IMAGE_TAG, default=latest"`
	// PostgresImage is PostgreSQL's image: postgres:15 where a registry is
	// reachable, or the one make image-postgres builds from Debian's
	// packages.
	PostgresImage string `env:"COMANDA_POSTGRES_IMAGE, default=comanda/postgres:15"`
	// AWSEmulator is "awsemu" (the embedded emulator's image, built by make
	// images) or "localstack" (LocalStackImage, pulled if missing).
	AWSEmulator     string `env:"COMANDA_AWS_EMULATOR, default=awsemu"`
	LocalStackImage string `env:"COMANDA_LOCALSTACK_IMAGE, default=localstack/localstack:4.14.0"`
}

// Engine starts containers for the harness (harness.Engine).
type Engine struct {
	cfg    Config
	docker *testcontainers.DockerClient
	server string // the engine's name and version, for the log
}

// Backends are the values of COMANDA_BACKEND.
const (
	BackendEmbedded   = "embedded"
	BackendContainers = "containers"
)

// FromEnv returns the Engine that COMANDA_BACKEND asks for: nil for
// "embedded" (or unset), the system running in-process; an Engine,
// configured from the environment, for "containers".
func FromEnv(ctx context.Context, log *slog.Logger) (harness.Engine, error) {
	switch backend := os.Getenv("COMANDA_BACKEND"); backend {
	case "", BackendEmbedded:
		return nil, nil
	case BackendContainers:
		var cfg Config
		if err := config.Load(ctx, &cfg); err != nil {
			return nil, err
		}
		return New(ctx, cfg, log)
	default:
		return nil, fmt.Errorf("COMANDA_BACKEND=%q: want %q or %q", backend, BackendEmbedded, BackendContainers)
	}
}

// New connects to the container engine that DOCKER_HOST (or Docker's
// default socket) names. What testcontainers says of its work goes to log,
// at debug level: testcontainers has one logger for the whole process.
func New(ctx context.Context, cfg Config, log *slog.Logger) (*Engine, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tclog.SetDefault(debugLogger{log.With("component", "testcontainers")})
	if cfg.AWSEmulator != "awsemu" && cfg.AWSEmulator != "localstack" {
		return nil, fmt.Errorf("COMANDA_AWS_EMULATOR=%q: want awsemu or localstack", cfg.AWSEmulator)
	}
	docker, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("container engine: %w (make features-containers sets one up: build/with-engine.sh)", err)
	}
	version, err := docker.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		_ = docker.Close()
		return nil, fmt.Errorf("container engine at %s does not answer: %w (make features-containers sets one up: build/with-engine.sh)", docker.DaemonHost(), err)
	}
	return &Engine{cfg: cfg, docker: docker, server: serverName(version)}, nil
}

// Describe says which engine runs which images.
func (e *Engine) Describe() string {
	aws := "comanda/awsemu:" + e.cfg.ImageTag
	if e.cfg.AWSEmulator == "localstack" {
		aws = e.cfg.LocalStackImage
	}
	return fmt.Sprintf("containers on %s (comanda/*:%s, %s, %s)", e.server, e.cfg.ImageTag, e.cfg.PostgresImage, aws)
}

// Close releases the connection to the engine.
func (e *Engine) Close() error { return e.docker.Close() }

// image is the name of one of Comanda's own images.
func (e *Engine) image(component string) string {
	return "comanda/" + component + ":" + e.cfg.ImageTag
}

// label marks every container the harness starts, with the process that
// started it, so that one left behind by a killed run can be found:
// podman ps -a --filter label=comanda.harness.
const label = "comanda.harness"

func labels() map[string]string {
	return map[string]string{label: fmt.Sprint(os.Getpid())}
}

// started wraps what testcontainers returned; on failure it removes what
// was created, so that nothing is left behind.
func (e *Engine) started(ctx context.Context, ctr testcontainers.Container, what string, err error) (*instance, error) {
	if err != nil {
		if ctr != nil {
			err = errors.Join(err, ctr.Terminate(context.WithoutCancel(ctx)))
		}
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &instance{tc: ctr, docker: e.docker, what: what}, nil
}

// debugLogger passes testcontainers' messages to a slog.Logger.
type debugLogger struct{ log *slog.Logger }

func (l debugLogger) Printf(format string, v ...any) {
	l.log.Debug(strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// serverName is the engine's product and version: "Podman Engine 4.3.1".
func serverName(v client.ServerVersionResult) string {
	for _, c := range v.Components {
		if strings.HasSuffix(c.Name, "Engine") {
			return c.Name + " " + c.Version
		}
	}
	return strings.TrimSpace(v.Platform.Name + " " + v.Version)
}
