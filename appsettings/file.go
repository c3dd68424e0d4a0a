package appsettings

import (
	"fmt"
	"os"
)

// Setting is one app setting as a file holds it.
type Setting struct {
	Name  string
	Value string // numbers and booleans as their JSON text; null as ""
	// Line and Col (1-based, Col in bytes) locate the value's first byte, or
	// for an Azure CLI element without a "value" member, the element's "{".
	Line, Col   int
	SlotSetting bool // Azure CLI format only
}

// File is a settings file read into memory.
type File struct {
	Path     string // as given by the caller (used in messages)
	Data     []byte // the bytes read
	Format   Format
	Settings []Setting // in file order
	// Encrypted reports "IsEncrypted": true in local settings: the values are
	// ciphertext made by `func settings encrypt`, and Set refuses to write
	// plain text among them.
	Encrypted bool
	// Warnings are what Parse passed over, as the Core Tools do, with its
	// position ("f.json:3:5: ..."): a setting with an empty name.
	Warnings []string
}

// Read reads and parses the settings file at path. A missing file gives an
// error that satisfies errors.Is(err, fs.ErrNotExist); a malformed one gives
// a *jsonfile.Error.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading app settings: %w", err)
	}
	return Parse(path, data)
}

// Lookup returns the setting called name. Names are compared exactly, case
// included, as the Functions Core Tools do.
func (f *File) Lookup(name string) (Setting, bool) {
	for _, s := range f.Settings {
		if s.Name == name {
			return s, true
		}
	}
	return Setting{}, false
}
