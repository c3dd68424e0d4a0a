package plan

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Writer is the file-system boundary a plan is applied through. Names are
// operating-system paths (Root joined with a change's Path). The real
// implementation is [OS]; tests wrap it to inject failures.
type Writer interface {
	// Lstat describes name without following a final symbolic link.
	Lstat(name string) (fs.FileInfo, error)
	// Stat describes name, following symbolic links.
	Stat(name string) (fs.FileInfo, error)
	// EvalSymlinks returns name with every symbolic link resolved.
	EvalSymlinks(name string) (string, error)
	// Readlink returns the destination of the symbolic link name.
	Readlink(name string) (string, error)
	// ReadFile returns the content of name.
	ReadFile(name string) ([]byte, error)
	// ReadDir lists the directory name.
	ReadDir(name string) ([]fs.DirEntry, error)
	// WriteFile atomically creates or replaces the regular file name with
	// data: readers see the old content or the new, never a mixture. An
	// existing file keeps its permissions; a new one gets perm (less the
	// umask). The parent directory must exist.
	WriteFile(name string, data []byte, perm fs.FileMode) error
	// Remove removes the file, symbolic link or empty directory name.
	Remove(name string) error
	// Mkdir creates the directory name with perm (less the umask).
	Mkdir(name string, perm fs.FileMode) error
	// Chmod sets the permission bits of name.
	Chmod(name string, mode fs.FileMode) error
	// Symlink creates newname as a symbolic link to oldname.
	Symlink(oldname, newname string) error
}

// OS returns the Writer of the real file system. Its WriteFile writes a
// temporary file in the destination's directory and renames it over the
// destination (github.com/google/renameio/v2 outside Windows).
func OS() Writer { return osWriter{} }

// osWriter is the Writer returned by OS.
type osWriter struct{}

func (osWriter) Lstat(name string) (fs.FileInfo, error)     { return os.Lstat(name) }
func (osWriter) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osWriter) EvalSymlinks(name string) (string, error)   { return filepath.EvalSymlinks(name) }
func (osWriter) Readlink(name string) (string, error)       { return os.Readlink(name) }
func (osWriter) ReadFile(name string) ([]byte, error)       { return os.ReadFile(name) }
func (osWriter) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }
func (osWriter) Remove(name string) error                   { return os.Remove(name) }
func (osWriter) Mkdir(name string, perm fs.FileMode) error  { return os.Mkdir(name, perm) }
func (osWriter) Chmod(name string, mode fs.FileMode) error  { return os.Chmod(name, mode) }
func (osWriter) Symlink(oldname, newname string) error      { return os.Symlink(oldname, newname) }

func (osWriter) WriteFile(name string, data []byte, perm fs.FileMode) error {
	return writeFileAtomic(name, data, perm)
}

// concurrent says that the real file system takes operations on different
// names from several goroutines at once (see writeConcurrently).
func (osWriter) concurrent() bool { return true }
