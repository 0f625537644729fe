package pgcluster

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// A directory whose owner died (its lock is free) is swept by the next
// cluster; a live one (lock held) and a foreign one (no lock file) are not.
func TestSweepStale(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	stale := filepath.Join(base, "comanda-pg-stale")
	foreign := filepath.Join(base, "comanda-pg-foreign")
	for _, dir := range []string{stale, foreign} {
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(stale, lockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}

	live, err := newWorkDir(base, nil, testLogger(t))
	if err != nil {
		t.Fatalf("newWorkDir: %v", err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("stale directory survived the sweep (stat: %v)", err)
	}
	if _, err := os.Stat(foreign); err != nil {
		t.Errorf("directory without a lock file was swept: %v", err)
	}

	second, err := newWorkDir(base, nil, testLogger(t))
	if err != nil {
		t.Fatalf("second newWorkDir: %v", err)
	}
	if _, err := os.Stat(live.path); err != nil {
		t.Errorf("a live cluster's directory was swept: %v", err)
	}
	for _, w := range []*workDir{live, second} {
		if err := w.remove(); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(w.path); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s survived remove (stat: %v)", w.path, err)
		}
	}
}
