//go:build !linux

package pgcluster

import (
	"os"
	"syscall"
)

// sysProcAttr keeps terminal Ctrl-C away from the child and switches user if
// asked. There is no parent-death signal outside Linux: a crashed test leaves
// its postgres running until the next Start sweeps stale directories.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Setpgid: true}
}

func tempBase() string { return os.TempDir() }
