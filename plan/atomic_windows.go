//go:build windows

package plan

import (
	"io/fs"
	"os"
	"path/filepath"
)

// writeFileAtomic replaces name with data through a temporary file in the
// same directory (renameio does not support Windows; os.Rename replaces the
// destination with MoveFileEx).
func writeFileAtomic(name string, data []byte, perm fs.FileMode) (err error) {
	if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() {
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), perm); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}
