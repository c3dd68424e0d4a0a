// Package rewrite edits the Go code of a custom-handler function app: it
// copies durable functions under versioned names (CloneFunctions), with
// every declaration a copy must couple to (registrations, targets of
// durable calls, data tables, declarations edited since the last release),
// and removes retired versions (RemoveFunctions). It works on a module that
// package goapp loaded, asks package durable what each handler reaches,
// and returns new file contents (FileEdit), which bump and prune put in a
// plan; it never writes files itself.
package rewrite
