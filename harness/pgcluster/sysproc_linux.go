package pgcluster

import (
	"os"
	"syscall"
)

// sysProcAttr makes a child die with us (SIGKILL when our process goes
// away, even by a crash), keeps terminal Ctrl-C away from it (its own process
// group, so Stop decides when it shuts down) and switches user if asked.
func sysProcAttr(cred *syscall.Credential) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
}

// tempBase picks where clusters live: /dev/shm when it is a roomy tmpfs,
// since initdb and a fresh cluster create about a thousand files and a disk
// file system can take a second for that; the OS temp dir otherwise. Either
// way the cluster is throw-away.
func tempBase() string {
	const shm, minFree = "/dev/shm", 1 << 30
	var st syscall.Statfs_t
	if syscall.Statfs(shm, &st) == nil && st.Bavail*uint64(st.Bsize) >= minFree && syscall.Access(shm, 2 /* W_OK */) == nil {
		return shm
	}
	return os.TempDir()
}
