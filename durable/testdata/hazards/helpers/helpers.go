// Package helpers holds code the orchestrators reach in another package of
// the module.
package helpers

import (
	"os"
	"path/filepath"
)

// Store keeps plans on disk.
type Store struct {
	Dir string
}

// Save writes a plan.
func (s *Store) Save(plan string) error {
	return os.WriteFile(filepath.Join(s.Dir, "plan.txt"), []byte(plan), 0o644)
}
