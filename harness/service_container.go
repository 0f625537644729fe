package harness

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// containerService is one service of a system the Engine runs. Its
// container is created at the first start and kept across stops, kills and
// pauses, so that it comes back with the same port and environment, as an
// ECS task comes back with the same task definition.
type containerService struct {
	name   string
	url    string // its base URL; it never changes
	health string // the path that says it is ready
	engine Engine
	spec   ContainerSpec

	// lifecycle serializes starts and stops, as for an in-process service.
	lifecycle sync.Mutex
	mu        sync.Mutex
	ctr       Container // nil until the first start
	state     containerState
}

type containerState int

const (
	containerStopped containerState = iota
	containerRunning
	containerPaused
)

// start creates the container the first time, and afterwards starts it
// again or thaws it. It does not wait for readiness.
func (c *containerService) start(ctx context.Context) error {
	c.lifecycle.Lock()
	defer c.lifecycle.Unlock()
	ctr, state := c.current()
	var err error
	switch {
	case ctr == nil:
		ctr, err = c.engine.Run(ctx, c.spec)
	case state == containerPaused:
		err = ctr.Unpause(ctx)
	case state == containerStopped:
		err = ctr.Start(ctx)
	}
	if err != nil {
		return fmt.Errorf("start %s: %w", c.name, err)
	}
	c.set(ctr, containerRunning)
	return nil
}

// stop stops the container: frozen in place (pause: callers wait in the
// kernel's backlog meanwhile), killed (SIGKILL, as a crash), or gracefully
// (SIGTERM, as a deploy: the service finishes what is in flight).
func (c *containerService) stop(kill, pause bool) error {
	c.lifecycle.Lock()
	defer c.lifecycle.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout+10*time.Second)
	defer cancel()
	ctr, state := c.current()
	if ctr == nil || state == containerStopped || (pause && state == containerPaused) {
		return nil
	}
	if pause {
		if err := ctr.Pause(ctx); err != nil {
			return fmt.Errorf("pause %s: %w", c.name, err)
		}
		c.set(ctr, containerPaused)
		return nil
	}
	if state == containerPaused {
		// A frozen process cannot take a signal until it is thawed.
		if err := ctr.Unpause(ctx); err != nil {
			return fmt.Errorf("thaw %s to stop it: %w", c.name, err)
		}
	}
	var err error
	if kill {
		err = ctr.Kill(ctx)
	} else {
		err = ctr.Stop(ctx, stopTimeout)
	}
	if err != nil {
		return fmt.Errorf("stop %s: %w", c.name, err)
	}
	c.set(ctr, containerStopped)
	return nil
}

func (c *containerService) running() bool {
	_, state := c.current()
	return state == containerRunning
}

// waitReady polls the service's health path until it answers 200, and
// fails at once if the container exits meanwhile.
func (c *containerService) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	ctr, _ := c.current()
	if ctr == nil {
		return fmt.Errorf("%s was never started", c.name)
	}
	if err := waitAnswers(ctx, c.url+c.health, ctr); err != nil {
		if exited, _, stateErr := ctr.Exited(context.WithoutCancel(ctx)); stateErr == nil && exited {
			c.set(ctr, containerStopped) // so that StartService starts it again
		}
		return fmt.Errorf("%s not ready: %w (its log lines are among the service logs)", c.name, err)
	}
	return nil
}

// finish stops the container gracefully for good and removes it. A service
// that exits non-zero on SIGTERM is reported.
func (c *containerService) finish() error {
	stopErr := c.stop(false, false)
	ctr, _ := c.current()
	if ctr == nil {
		return stopErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errs := []error{stopErr}
	if exited, code, err := ctr.Exited(ctx); err == nil && exited && code != 0 {
		errs = append(errs, fmt.Errorf("%s exited with code %d", c.name, code))
	}
	if err := ctr.Remove(ctx); err != nil {
		errs = append(errs, fmt.Errorf("remove %s: %w", c.name, err))
	}
	return errors.Join(errs...)
}

func (c *containerService) current() (Container, containerState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctr, c.state
}

func (c *containerService) set(ctr Container, state containerState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ctr, c.state = ctr, state
}
