// Package pgtest gives a package's tests a fresh, empty PostgreSQL database
// each, all in one cluster that the test binary starts on first use and stops
// when it ends. With DATABASE_URL set, the databases are made on that server
// instead, and dropped at the end. A package that uses it must hand its
// TestMain to Main (or Run), which is what stops the cluster:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestOrderStore(t *testing.T) {
//		t.Parallel()
//		store := NewStore(pgtest.NewDatabase(t))
//		…
//	}
package pgtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comanda/comanda/harness/pgcluster"
)

// shared is the test binary's one cluster. It is package state because a
// test binary has exactly one TestMain to own it.
var shared struct {
	mainCalled atomic.Bool
	mu         sync.Mutex
	cluster    *pgcluster.Cluster
	err        error
}

// Main runs the tests, then stops the shared cluster, then exits.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run runs the tests, then stops the shared cluster, and returns the exit
// code; it is Main for a TestMain that other fixtures wrap too.
func Run(m *testing.M) int {
	shared.mainCalled.Store(true)
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cluster != nil {
		if err := shared.cluster.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: stop postgres: %v\n", err)
			code = max(code, 1)
		}
	}
	return code
}

// NewDatabase creates an empty database for t and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	if !shared.mainCalled.Load() {
		t.Fatal("pgtest: call pgtest.Main(m) from TestMain, so the shared cluster is stopped at the end")
	}
	c, err := sharedCluster()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	url, err := c.CreateDatabase(t.Context(), databaseName(t.Name()))
	if err != nil {
		t.Fatalf("pgtest: %v\n%s", err, c.Log())
	}
	return url
}

func sharedCluster() (*pgcluster.Cluster, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cluster == nil && shared.err == nil {
		// Not the test's context: the cluster outlives the first test.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		shared.cluster, shared.err = pgcluster.Start(ctx, pgcluster.Options{Logger: log, ExternalURL: os.Getenv("DATABASE_URL")})
	}
	return shared.cluster, shared.err
}

// databaseName is the test's name, made an identifier and kept short, plus
// random hex, since an external server may be shared by test binaries.
func databaseName(test string) string {
	slug := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, test)
	if len(slug) > 40 {
		slug = slug[:40]
	}
	return "t_" + slug + "_" + strings.ToLower(rand.Text()[:10])
}
