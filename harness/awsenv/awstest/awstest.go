// Package awstest gives a package's tests AWS: one in-process kumo that the
// test binary starts on first use and stops when it ends, clients for it,
// and queues, tables and secrets under unique names. kumo keeps one state
// per process, so tests keep apart by those names, never by clean-up. It is
// for tests only. A package that uses it must hand its TestMain to Main, or
// to Run when another package such as pgtest also wraps the tests:
//
//	func TestMain(m *testing.M) { awstest.Main(m) }
//	func TestMain(m *testing.M) { os.Exit(awstest.Run(m, pgtest.Run)) }
package awstest

import (
	"context"
	"crypto/rand"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/comanda/comanda/harness/awsenv"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

// shared is the test binary's one emulator. It is package state because a
// test binary has exactly one TestMain to own it.
var shared struct {
	mainCalled atomic.Bool
	mu         sync.Mutex
	emulator   *awsenv.Emulator
	config     awsconf.Config
	clients    awsconf.Clients
	err        error
}

// Main runs the tests, then stops the shared emulator, then exits.
func Main(m *testing.M) { os.Exit(Run(m, (*testing.M).Run)) }

// Run runs the tests with run (m.Run, or a wrapper of it such as pgtest.Run),
// then stops the shared emulator, and returns run's exit code.
func Run(m *testing.M, run func(*testing.M) int) int {
	shared.mainCalled.Store(true)
	code := run(m)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.emulator != nil {
		shared.emulator.Close()
	}
	return code
}

// Clients returns the shared emulator's configuration and clients, starting
// the emulator on first use.
func Clients(t testing.TB) (awsconf.Config, awsconf.Clients) {
	t.Helper()
	if !shared.mainCalled.Load() {
		t.Fatal("awstest: call awstest.Main(m) or awstest.Run from TestMain, so the shared emulator is stopped at the end")
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.emulator == nil && shared.err == nil {
		shared.emulator = awsenv.StartEmulator()
		shared.config = awsconf.Config{Region: "us-east-1", Endpoint: shared.emulator.URL()}
		// Not the test's context: the clients outlive the first test.
		shared.clients, shared.err = awsconf.New(context.Background(), shared.config)
	}
	if shared.err != nil {
		t.Fatalf("awstest: %v", shared.err)
	}
	return shared.config, shared.clients
}

// UniqueName is prefix followed by twelve random lower-case letters and
// digits, which fit every AWS name.
func UniqueName(prefix string) string {
	return prefix + strings.ToLower(rand.Text()[:12])
}

// UniquePrefix is a fresh prefix for a test's queue names, such as
// "tq3x7k2m9a4bc-".
func UniquePrefix() string { return UniqueName("t") + "-" }

// CreateQueue makes queue name and its dead-letter queue, redriving to it
// after as many receives as the deployed queues do, and returns both URLs.
func CreateQueue(t testing.TB, c awsconf.Clients, name string) (url, dlqURL string) {
	t.Helper()
	url, dlqURL, err := awsenv.CreateQueue(t.Context(), c, topology.MustLoad().Queues, name)
	if err != nil {
		t.Fatalf("awstest: %v", err)
	}
	return url, dlqURL
}

// CreateTable makes the topology's table base under a unique name, with its
// indexes, and returns the name.
func CreateTable(t testing.TB, c awsconf.Clients, base string) string {
	t.Helper()
	table, ok := topology.MustLoad().Table(base)
	if !ok {
		t.Fatalf("awstest: the topology has no table %q", base)
	}
	name := UniqueName(base + "-")
	if err := awsenv.CreateTable(t.Context(), c, table, name); err != nil {
		t.Fatalf("awstest: %v", err)
	}
	return name
}

// CreateSecret stores value as the secret name.
func CreateSecret(t testing.TB, c awsconf.Clients, name, value string) {
	t.Helper()
	_, err := c.SecretsManager.CreateSecret(t.Context(), &secretsmanager.CreateSecretInput{
		Name: aws.String(name), SecretString: aws.String(value),
	})
	if err != nil {
		t.Fatalf("awstest: create secret %s: %v", name, err)
	}
}
