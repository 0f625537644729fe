package pgcluster

import (
	"archive/tar"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// completeMarker is the last entry of a template archive: an archive without
// it was cut short and is not used.
const completeMarker = ".comanda-template-complete"

// templateCache keeps a freshly initdb'd data directory as one tar file in
// the user's cache directory, so later clusters are unpacked instead of made
// (one file writes fast where a thousand do not). The name carries the server
// version and a fingerprint of the binaries and initdb flags, so a change of
// either makes a new template. A template that is unreadable, incomplete or
// does not start is deleted and made again. A disabled cache has no path.
type templateCache struct {
	path string
	log  *slog.Logger
}

func newTemplateCache(b binaries, log *slog.Logger) templateCache {
	root, err := os.UserCacheDir()
	if err != nil {
		return templateCache{log: log}
	}
	h := sha256.New()
	fmt.Fprintln(h, b.initdb, b.postgres, strings.Join(initdbArgs(), " "))
	if fi, err := os.Stat(b.postgres); err == nil {
		fmt.Fprintln(h, fi.Size(), fi.ModTime().UnixNano())
	}
	name := fmt.Sprintf("pgdata-%s-%x.tar", b.version, h.Sum(nil)[:6])
	return templateCache{path: filepath.Join(root, "comanda", name), log: log}
}

// restore unpacks the template into dst, owned by owner.
func (t templateCache) restore(dst string, owner *runAs) error {
	if t.path == "" {
		return errors.New("no user cache directory")
	}
	f, err := os.Open(t.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unpack(tar.NewReader(f), dst, owner); err != nil {
		t.invalidate()
		return fmt.Errorf("template %s: %w", t.path, err)
	}
	return nil
}

// save stores src as the template, best effort: concurrent savers each
// write a temporary file and the last rename wins, whole.
func (t templateCache) save(src string) {
	if t.path == "" {
		return
	}
	began := time.Now()
	if err := t.write(src); err != nil {
		t.log.Warn("could not cache the postgres template", "path", t.path, "err", err)
		return
	}
	t.log.Debug("cached the postgres template", "path", t.path, "took", time.Since(began).Round(time.Millisecond))
}

func (t templateCache) write(src string) error {
	if err := os.MkdirAll(filepath.Dir(t.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(t.path), filepath.Base(t.path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	tw := tar.NewWriter(tmp)
	err = errors.Join(pack(tw, src), tw.Close(), tmp.Close())
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), t.path)
}

func (t templateCache) invalidate() {
	if t.path != "" {
		_ = os.Remove(t.path)
	}
}

// pack writes the tree under src, then the completion marker.
func pack(tw *tar.Writer, src string) error {
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == src {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() && !info.IsDir() {
			return fmt.Errorf("%s: not a file or directory", path)
		}
		rel, _ := filepath.Rel(src, path)
		hdr := &tar.Header{Name: filepath.ToSlash(rel), Mode: int64(info.Mode().Perm()), ModTime: info.ModTime(), Typeflag: tar.TypeReg, Size: info.Size()}
		if info.IsDir() {
			hdr.Typeflag, hdr.Size, hdr.Name = tar.TypeDir, 0, hdr.Name+"/"
		}
		if err := tw.WriteHeader(hdr); err != nil || info.IsDir() {
			return err
		}
		return copyFile(tw, path)
	})
	if err != nil {
		return err
	}
	return tw.WriteHeader(&tar.Header{Name: completeMarker, Typeflag: tar.TypeReg, Mode: 0o600})
}

func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
