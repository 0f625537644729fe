package containers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/localstack"
	"github.com/testcontainers/testcontainers-go/modules/postgres"
	"github.com/testcontainers/testcontainers-go/wait"

	"github.com/comanda/comanda/harness"
)

// Run starts one of Comanda's own images, locked down as ECS runs its task.
func (e *Engine) Run(ctx context.Context, spec harness.ContainerSpec) (harness.Container, error) {
	img := e.image(spec.Component)
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithEnv(spec.Env),
		testcontainers.WithLabels(labels()),
		testcontainers.WithHostConfigModifier(lockedDown),
	}
	if spec.Cmd != nil {
		opts = append(opts, testcontainers.WithCmd(spec.Cmd...))
	}
	ctr, err := testcontainers.Run(ctx, img, opts...)
	what := img
	if addr := spec.Env["ADDR"]; addr != "" {
		what += " at " + addr
	}
	c, err := e.started(ctx, ctr, what, err)
	if err != nil {
		return nil, err
	}
	if err := c.runsAsNonRoot(ctx); err != nil {
		return nil, errors.Join(err, c.Remove(ctx))
	}
	if spec.Logs != nil {
		c.logs = follow(e.docker, ctr.GetContainerID(), time.Time{}, spec.Logs)
	}
	return c, nil
}

// Postgres starts PostgreSQL through testcontainers' postgres module, on
// port, with fsync off (the data is thrown away).
func (e *Engine) Postgres(ctx context.Context, port int) (string, harness.Container, error) {
	const user, password, database = "comanda", "comanda-harness", "comanda"
	url := fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", user, password, port, database)
	ctr, err := postgres.Run(ctx, e.cfg.PostgresImage,
		postgres.WithUsername(user), postgres.WithPassword(password), postgres.WithDatabase(database),
		testcontainers.WithEnv(map[string]string{"PGPORT": strconv.Itoa(port)}),
		testcontainers.WithCmd("postgres", "-c", "fsync=off", "-c", "listen_addresses=127.0.0.1"),
		testcontainers.WithLabels(labels()),
		noPublishedPorts(),
		testcontainers.WithHostConfigModifier(hostNetwork),
		testcontainers.WithWaitStrategy(acceptsConnections{url: url}),
	)
	var tc testcontainers.Container
	if ctr != nil {
		tc = ctr
	}
	c, err := e.started(ctx, tc, fmt.Sprintf("%s at 127.0.0.1:%d", e.cfg.PostgresImage, port), err)
	if err != nil {
		return "", nil, err
	}
	return url, c, nil
}

// AWS starts the AWS emulator on port: Comanda's embedded emulator as an
// image, or LocalStack through testcontainers' localstack module.
func (e *Engine) AWS(ctx context.Context, port int) (string, harness.Container, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	endpoint := "http://" + addr
	var tc testcontainers.Container
	var err error
	img := e.image("awsemu")
	if e.cfg.AWSEmulator == "localstack" {
		img = e.cfg.LocalStackImage
		var ls *localstack.LocalStackContainer
		ls, err = localstack.Run(ctx, img,
			testcontainers.WithEnv(map[string]string{
				"GATEWAY_LISTEN": addr, "LOCALSTACK_HOST": addr,
				"SERVICES": "sqs,dynamodb,kms,secretsmanager",
			}),
			testcontainers.WithLabels(labels()),
			noPublishedPorts(),
			testcontainers.WithHostConfigModifier(hostNetwork),
			testcontainers.WithWaitStrategy(wait.ForHTTP("/_localstack/health").WithPort(fmt.Sprintf("%d/tcp", port)).
				WithStartupTimeout(2*time.Minute)),
		)
		if ls != nil {
			tc = ls
		}
	} else {
		tc, err = testcontainers.Run(ctx, img,
			testcontainers.WithEnv(map[string]string{"AWSEMU_ADDR": addr}),
			testcontainers.WithLabels(labels()),
			testcontainers.WithHostConfigModifier(lockedDown),
			// It prints its URL once it serves.
			testcontainers.WithWaitStrategy(wait.ForLog(endpoint).WithStartupTimeout(time.Minute)),
		)
	}
	c, err := e.started(ctx, tc, img+" at "+addr, err)
	if err != nil {
		return "", nil, err
	}
	return endpoint, c, nil
}

// hostNetwork puts a container on the host's network: it binds 127.0.0.1
// itself, on the port its settings name.
func hostNetwork(hc *container.HostConfig) { hc.NetworkMode = "host" }

// lockedDown runs one of Comanda's images on the host's network as ECS
// runs a task of it: a read-only root filesystem, no capabilities, no way
// to gain privileges (the image's user is already not root).
func lockedDown(hc *container.HostConfig) {
	hostNetwork(hc)
	hc.ReadonlyRootfs = true
	hc.CapDrop = []string{"ALL"}
	hc.SecurityOpt = []string{"no-new-privileges"}
}

// noPublishedPorts drops the ports a module exposes: on the host's network
// there is nothing to publish, and Podman refuses to try.
func noPublishedPorts() testcontainers.CustomizeRequestOption {
	return func(req *testcontainers.GenericContainerRequest) error {
		req.ExposedPorts = nil
		return nil
	}
}

// acceptsConnections is ready once PostgreSQL accepts a connection at url
// (the official image's first, initialising server listens on no port).
type acceptsConnections struct{ url string }

func (a acceptsConnections) WaitUntilReady(ctx context.Context, target wait.StrategyTarget) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(attempt, a.url)
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		if state, stateErr := target.State(ctx); stateErr == nil && !state.Running {
			return fmt.Errorf("postgres exited (code %d) before accepting connections: %w", state.ExitCode, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres does not accept connections: %w (last attempt: %w)", ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
