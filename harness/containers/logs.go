package containers

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// follower passes what one run of a container prints on to the harness,
// a whole line at a time, so that the lines of containers printing at once
// never interleave.
type follower struct {
	out    io.Writer
	cancel context.CancelFunc
	done   chan struct{}
}

// follow streams the output of container id from since (the zero time: from
// its creation) until it stops.
func follow(docker *testcontainers.DockerClient, id string, since time.Time, out io.Writer) *follower {
	ctx, cancel := context.WithCancel(context.Background())
	f := &follower{out: out, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		opts := client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true}
		if !since.IsZero() {
			opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
		}
		rc, err := docker.ContainerLogs(ctx, id, opts)
		if err != nil {
			return
		}
		defer rc.Close()
		lines := &lineWriter{out: out}
		_, _ = stdcopy.StdCopy(lines, lines, rc)
		lines.flush()
	}()
	return f
}

// again follows the next run of the same container.
func (f *follower) again(docker *testcontainers.DockerClient, id string, since time.Time) *follower {
	f.stop()
	return follow(docker, id, since, f.out)
}

// drain waits for the stream of a container that has stopped to end, so
// that its last lines are kept: the engine ends it once it has sent them.
// An engine that keeps a stream open past the stop is given two seconds.
func (f *follower) drain(ctx context.Context) {
	select {
	case <-f.done:
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
	}
}

func (f *follower) stop() {
	f.cancel()
	<-f.done
}

// lineWriter writes whole lines only, each in one Write.
type lineWriter struct {
	out  io.Writer
	part []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.part = append(w.part, p...)
	if i := bytes.LastIndexByte(w.part, '\n'); i >= 0 {
		_, _ = w.out.Write(w.part[:i+1])
		w.part = append(w.part[:0], w.part[i+1:]...)
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.part) > 0 {
		_, _ = w.out.Write(append(w.part, '\n'))
		w.part = nil
	}
}
