package harness

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingEngine runs no container: it records what the harness asks of
// each, to check that the fault API asks the engine the right things in
// the right order. (make features-containers runs the real engine.)
type recordingEngine struct {
	mu    sync.Mutex
	calls []string
	ctr   *recordingContainer
}

func (e *recordingEngine) record(call string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.calls = append(e.calls, call)
}

func (e *recordingEngine) Describe() string { return "recording" }
func (e *recordingEngine) Postgres(context.Context, int) (string, Container, error) {
	panic("not used")
}
func (e *recordingEngine) AWS(context.Context, int) (string, Container, error) { panic("not used") }
func (e *recordingEngine) Close() error                                        { return nil }
func (e *recordingEngine) Run(_ context.Context, spec ContainerSpec) (Container, error) {
	e.record("run " + spec.Component)
	return e.ctr, nil
}

type recordingContainer struct {
	e      *recordingEngine
	exited bool
}

func (c *recordingContainer) Describe() string { return "recorded" }
func (c *recordingContainer) Start(context.Context) error {
	c.e.record("start")
	return nil
}
func (c *recordingContainer) Stop(_ context.Context, grace time.Duration) error {
	c.e.record("stop " + grace.String())
	return nil
}
func (c *recordingContainer) Kill(context.Context) error {
	c.e.record("kill")
	return nil
}
func (c *recordingContainer) Pause(context.Context) error {
	c.e.record("pause")
	return nil
}
func (c *recordingContainer) Unpause(context.Context) error {
	c.e.record("unpause")
	return nil
}
func (c *recordingContainer) Exited(context.Context) (bool, int, error) { return c.exited, 3, nil }
func (c *recordingContainer) Remove(context.Context) error {
	c.e.record("remove")
	return nil
}

func newRecorded(url string) (*containerService, *recordingEngine) {
	e := &recordingEngine{}
	e.ctr = &recordingContainer{e: e}
	return &containerService{name: "order", url: url, health: "/readyz", engine: e, spec: ContainerSpec{Component: "order"}}, e
}

// The container is made once and then started, thawed, killed or stopped
// as the fault API asks; a frozen container is thawed before it is killed
// or stopped, since a frozen process takes no signal.
func TestContainerServiceLifecycle(t *testing.T) {
	t.Parallel()
	sv, e := newRecorded("http://127.0.0.1:1")
	ctx := t.Context()
	steps := []struct {
		name string
		do   func() error
	}{
		{"start", func() error { return sv.start(ctx) }},
		{"start again while running", func() error { return sv.start(ctx) }},
		{"kill", func() error { return sv.stop(true, false) }},
		{"kill again", func() error { return sv.stop(true, false) }},
		{"start after the kill", func() error { return sv.start(ctx) }},
		{"pause", func() error { return sv.stop(false, true) }},
		{"pause again", func() error { return sv.stop(false, true) }},
		{"resume", func() error { return sv.start(ctx) }},
		{"pause before a kill", func() error { return sv.stop(false, true) }},
		{"kill while paused", func() error { return sv.stop(true, false) }},
		{"start", func() error { return sv.start(ctx) }},
		{"finish", sv.finish},
	}
	for _, step := range steps {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
	}
	want := []string{"run order", "kill", "start", "pause", "unpause", "pause", "unpause", "kill", "start",
		"stop " + stopTimeout.String(), "remove"}
	if !slices.Equal(e.calls, want) {
		t.Errorf("the engine was asked\n  %v\nwant\n  %v", e.calls, want)
	}
	if sv.running() {
		t.Error("running after finish")
	}
}

// waitReady waits for the health path, and gives up at once, saying why,
// when the container has exited.
func TestContainerServiceWaitReady(t *testing.T) {
	t.Parallel()
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
		}
	}))
	defer ready.Close()
	sv, _ := newRecorded(ready.URL)
	if err := sv.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := sv.waitReady(t.Context()); err != nil {
		t.Errorf("waitReady on a ready service: %v", err)
	}

	dead, e := newRecorded("http://127.0.0.1:1") // nothing answers there
	e.ctr.exited = true
	if err := dead.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := dead.waitReady(t.Context()); err == nil || !strings.Contains(err.Error(), "exited with code 3") {
		t.Errorf("waitReady on an exited container: %v, want it to say so", err)
	}
	if dead.running() {
		t.Error("an exited container counts as running, so nothing would start it again")
	}
}
