package main

import (
	"runtime/debug"
)

// versionString says which dfversion this is:
//
//   - the version set with -ldflags "-X main.version=v1.2.3", if any;
//   - else the module version go install recorded (go install
//     github.com/dfversion/dfversion/cmd/dfversion@v1.2.3 gives v1.2.3,
//     and a pseudo-version for a commit);
//   - else, for a build from a checkout, "devel" with the VCS revision and
//     "+dirty" when the work tree had changes ("devel 6907181abcde+dirty");
//   - else "devel".
func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionFromBuildInfo(info)
}

// versionFromBuildInfo is versionString's reading of the build information.
func versionFromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return "devel"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if modified == "true" {
		revision += "+dirty"
	}
	return "devel " + revision
}
