package pgcluster

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
)

const (
	workDirPattern = "comanda-pg-*"
	lockName       = "owner.lock"
)

// workDir is one cluster's temporary directory: the data directory and the
// Unix socket live in it. Its owner holds an flock on owner.lock for as long
// as the cluster lives; the kernel drops the lock when the owner dies, however
// it dies, which is how a later Start knows the directory is litter.
type workDir struct {
	path string
	lock *os.File
}

func newWorkDir(base string, owner *runAs, log *slog.Logger) (*workDir, error) {
	sweepStale(base, log)
	path, err := os.MkdirTemp(base, workDirPattern)
	if err != nil {
		return nil, fmt.Errorf("create cluster directory: %w", err)
	}
	w := &workDir{path: path}
	// Lock under a temporary name, then rename: a sweeper only looks at
	// owner.lock, so it never sees the file before it is locked.
	tmp := filepath.Join(path, lockName+".new")
	if w.lock, err = os.OpenFile(tmp, os.O_CREATE|os.O_RDWR, 0o600); err == nil {
		if err = syscall.Flock(int(w.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
			err = os.Rename(tmp, filepath.Join(path, lockName))
		}
	}
	if err == nil {
		err = owner.chown(path)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("prepare cluster directory: %w", err), w.remove())
	}
	return w, nil
}

func (w *workDir) dataDir() string { return filepath.Join(w.path, "data") }

// remove deletes the directory, then lets go of the lock.
func (w *workDir) remove() error {
	err := os.RemoveAll(w.path)
	if w.lock != nil {
		w.lock.Close()
	}
	if err != nil {
		return fmt.Errorf("remove cluster directory: %w", err)
	}
	return nil
}

// sweepStale removes the directories of clusters whose owner died without
// stopping them (a killed test binary). Their postgres died with the owner.
func sweepStale(base string, log *slog.Logger) {
	dirs, _ := filepath.Glob(filepath.Join(base, workDirPattern))
	for _, dir := range dirs {
		f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR, 0)
		if err != nil {
			continue // not ours to judge, or still being set up
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			if err := os.RemoveAll(dir); err == nil {
				log.Debug("removed stale postgres directory", "dir", dir)
			}
		}
		f.Close()
	}
}
