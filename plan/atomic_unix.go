//go:build !windows

package plan

import (
	"io/fs"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// writeFileAtomic replaces name with data through a temporary file in the
// same directory. Without WithTempDir, renameio would place the temporary
// file in $TMPDIR whenever that is on the same file system.
func writeFileAtomic(name string, data []byte, perm fs.FileMode) error {
	return renameio.WriteFile(name, data, perm,
		renameio.WithTempDir(filepath.Dir(name)),
		renameio.WithExistingPermissions())
}
