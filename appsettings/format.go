package appsettings

import "fmt"

// Format says which layout a settings file has.
type Format int

const (
	// LocalSettings is local.settings.json: an object whose "Values" member
	// maps setting names to values.
	LocalSettings Format = iota
	// AzureCLI is the output of `az functionapp config appsettings list`: an
	// array of {"name", "value", "slotSetting"} objects.
	AzureCLI
)

// String names the format the way messages show it.
func (f Format) String() string {
	switch f {
	case LocalSettings:
		return "local.settings.json"
	case AzureCLI:
		return "Azure CLI app settings"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}
