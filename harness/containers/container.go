package containers

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// instance is one container the engine started (harness.Container).
type instance struct {
	tc     testcontainers.Container
	docker *testcontainers.DockerClient
	what   string // image and address, for the log

	mu   sync.Mutex
	logs *follower // the current run's log follower; nil without Logs
}

func (c *instance) Describe() string { return c.what }

// Start starts the stopped container again, with testcontainers' wait
// strategy if it has one, and follows the new run's output.
func (c *instance) Start(ctx context.Context) error {
	since := time.Now()
	if err := c.tc.Start(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.logs != nil {
		c.logs = c.logs.again(c.docker, c.tc.GetContainerID(), since)
	}
	return nil
}

func (c *instance) Stop(ctx context.Context, grace time.Duration) error {
	if err := c.tc.Stop(ctx, &grace); err != nil {
		return err
	}
	return c.waitStopped(ctx)
}

func (c *instance) Kill(ctx context.Context) error {
	if _, err := c.docker.ContainerKill(ctx, c.tc.GetContainerID(), client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return fmt.Errorf("kill: %w", err)
	}
	return c.waitStopped(ctx)
}

func (c *instance) Pause(ctx context.Context) error {
	_, err := c.docker.ContainerPause(ctx, c.tc.GetContainerID(), client.ContainerPauseOptions{})
	return err
}

func (c *instance) Unpause(ctx context.Context) error {
	_, err := c.docker.ContainerUnpause(ctx, c.tc.GetContainerID(), client.ContainerUnpauseOptions{})
	return err
}

func (c *instance) Exited(ctx context.Context) (bool, int, error) {
	state, err := c.tc.State(ctx)
	if err != nil {
		return false, 0, err
	}
	if state.Running || state.Paused || state.Restarting || state.Status == "created" {
		return false, 0, nil
	}
	return true, state.ExitCode, nil
}

// Remove removes the container, killing it first if it runs.
func (c *instance) Remove(ctx context.Context) error {
	err := c.tc.Terminate(ctx, testcontainers.StopTimeout(0))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.logs != nil {
		c.logs.stop()
	}
	return err
}

// waitStopped returns once the container is no longer running, and once
// what it printed last has been passed on.
func (c *instance) waitStopped(ctx context.Context) error {
	wait := c.docker.ContainerWait(ctx, c.tc.GetContainerID(), client.ContainerWaitOptions{Condition: container.WaitConditionNotRunning})
	select {
	case <-wait.Result:
	case err := <-wait.Error:
		if exited, _, stateErr := c.Exited(ctx); stateErr != nil || !exited {
			return fmt.Errorf("wait for the container to stop: %w", err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.logs != nil {
		c.logs.drain(ctx)
	}
	return nil
}

// runsAsNonRoot refuses a container whose image runs as root: Comanda's
// images run as an unprivileged user, as ECS runs them.
func (c *instance) runsAsNonRoot(ctx context.Context) error {
	inspect, err := c.tc.Inspect(ctx)
	if err != nil {
		return fmt.Errorf("inspect %s: %w", c.what, err)
	}
	if user := inspect.Config.User; user == "" || user == "0" || user == "root" || strings.HasPrefix(user, "0:") || strings.HasPrefix(user, "root:") {
		return fmt.Errorf("%s runs as root (user %q); its image must name an unprivileged user", c.what, user)
	}
	return nil
}
