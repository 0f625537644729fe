package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// costChild is a -tracing-round process of this command, as its parent
// drives it: its standard input starts the load, its standard output
// says "ready", then gives the round's figures.
type costChild struct {
	mode   string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr bytes.Buffer
}

func startCostChild(ctx context.Context, self string, cfg config, mode string) (*costChild, error) {
	c := &costChild{mode: mode}
	c.cmd = exec.CommandContext(ctx, self, "-tracing-round", mode,
		"-tracing-rate", strconv.FormatFloat(cfg.TracingRate, 'f', -1, 64), "-tracing-duration", cfg.TracingDuration.String(),
		"-customers", strconv.Itoa(cfg.Customers), "-cooks", strconv.Itoa(cfg.Cooks), "-kitchen-poll", cfg.KitchenPoll.String(),
		"-approve-after", cfg.ApproveAfter.String(), "-drain-max", cfg.DrainMax.String(), "-memory-limit-mb", strconv.Itoa(cfg.MemoryLimitMB))
	if cfg.Profile != "" {
		c.cmd.Args = append(c.cmd.Args, "-cpuprofile", cfg.Profile+"."+mode)
	}
	c.cmd.Stderr = &c.stderr
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c.stdout = bufio.NewReader(out)
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the telemetry-%s process: %w", mode, err)
	}
	return c, nil
}

// ready waits for the process to say it is ready.
func (c *costChild) ready() error {
	line, err := c.stdout.ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		return c.failed(fmt.Errorf("said %q, %v", line, err))
	}
	return nil
}

// start has it place its orders.
func (c *costChild) start() error {
	_, err := io.WriteString(c.stdin, "go\n")
	return err
}

// result reads its figures and waits for it to end.
func (c *costChild) result() (costRound, error) {
	var r costRound
	if err := json.NewDecoder(c.stdout).Decode(&r); err != nil {
		return r, c.failed(err)
	}
	if err := c.cmd.Wait(); err != nil {
		return r, c.failed(err)
	}
	c.cmd = nil
	return r, nil
}

// failed is err with the end of the process's log.
func (c *costChild) failed(err error) error {
	log := c.stderr.String()
	if len(log) > 4000 {
		log = log[len(log)-4000:]
	}
	return fmt.Errorf("the telemetry-%s process: %w; its log ends:\n%s", c.mode, err, log)
}

// kill ends the process if it has not ended.
func (c *costChild) kill() {
	if c.cmd != nil && c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	}
}
