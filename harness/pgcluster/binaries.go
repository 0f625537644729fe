package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// binaries are the PostgreSQL programs a cluster needs, from one directory.
type binaries struct {
	dir      string
	initdb   string
	postgres string
	version  string // e.g. "15.18"
}

// findBinaries looks for initdb and postgres on PATH, then in
// pg_config --bindir, then in Debian's /usr/lib/postgresql/<major>/bin,
// newest major first.
func findBinaries(ctx context.Context) (binaries, error) {
	for _, dir := range candidateDirs(ctx) {
		b := binaries{dir: dir, initdb: filepath.Join(dir, "initdb"), postgres: filepath.Join(dir, "postgres")}
		if !isExecutable(b.initdb) || !isExecutable(b.postgres) {
			continue
		}
		v, err := serverVersion(ctx, b.postgres)
		if err != nil {
			return binaries{}, err
		}
		b.version = v
		return b, nil
	}
	return binaries{}, errors.New("find PostgreSQL: no directory with initdb and postgres on PATH, " +
		"in pg_config --bindir or in /usr/lib/postgresql/*/bin; install the PostgreSQL server or set DATABASE_URL")
}

func candidateDirs(ctx context.Context) []string {
	var dirs []string
	// initdb finds postgres beside its real path, so follow symlinks
	// (Debian links /usr/local/bin/initdb into /usr/lib/postgresql/15/bin).
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(real))
		}
		dirs = append(dirs, filepath.Dir(p))
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	versioned, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versioned, func(a, b string) int { return majorOf(b) - majorOf(a) })
	return append(dirs, versioned...)
}

// majorOf reads the major version out of /usr/lib/postgresql/<major>/bin.
func majorOf(bindir string) int {
	major, _, _ := strings.Cut(filepath.Base(filepath.Dir(bindir)), ".")
	n, _ := strconv.Atoi(major)
	return n
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// serverVersion runs postgres --version, which postgres answers even as root.
func serverVersion(ctx context.Context, postgres string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, postgres, "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w", postgres, err)
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return "", fmt.Errorf("%s --version: unexpected output %q", postgres, out)
	}
	return fields[2], nil
}
