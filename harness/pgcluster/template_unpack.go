package pgcluster

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// unpack extracts a template archive into dst, which must not exist, and
// gives every file to owner. It fails on anything but plain files and
// directories inside dst, and on an archive without the completion marker.
func unpack(tr *tar.Reader, dst string, owner *runAs) error {
	if err := os.Mkdir(dst, 0o700); err != nil {
		return err
	}
	if err := owner.chown(dst); err != nil {
		return err
	}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return errors.New("archive is incomplete")
		}
		if err != nil {
			return err
		}
		if hdr.Name == completeMarker {
			return nil
		}
		name := filepath.FromSlash(strings.TrimSuffix(hdr.Name, "/"))
		if !filepath.IsLocal(name) {
			return fmt.Errorf("archive entry %q leaves the data directory", hdr.Name)
		}
		if err := unpackEntry(tr, hdr, filepath.Join(dst, name)); err != nil {
			return err
		}
		if err := owner.chown(filepath.Join(dst, name)); err != nil {
			return err
		}
	}
}

func unpackEntry(tr *tar.Reader, hdr *tar.Header, path string) error {
	mode := os.FileMode(hdr.Mode).Perm()
	switch hdr.Typeflag {
	case tar.TypeDir:
		return os.Mkdir(path, mode)
	case tar.TypeReg:
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, tr)
		return errors.Join(err, f.Close())
	default:
		return fmt.Errorf("archive entry %q: unexpected type %q", hdr.Name, hdr.Typeflag)
	}
}
