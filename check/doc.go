// Package check finds what would break orchestrations in flight, or what
// is inconsistent in an app's versions, before it is deployed: a released
// function version whose code, calls, types or bindings changed, a
// reference to the wrong version, a stale pointer, an unserved function,
// and determinism hazards in orchestrator code.
//
// Released versions come from the lock file (dfversion.lock) or, for the
// CI gate, from the code at a git revision.
package check
