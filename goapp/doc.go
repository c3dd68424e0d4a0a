// Package goapp loads the Go side of a custom-handler function app and
// finds its durable functions there.
//
// Load reads the app's module once, with syntax and full type information
// (golang.org/x/tools/go/packages), and indexes the declarations of its
// functions, methods, variables, constants and types, so that an object
// found through type information leads to its source (DeclOf, SpecOf) and
// has a stable name in the lock file (DeclKey). Discover then finds, in
// the handlers' main package, the registration that binds each function's
// name to the Go code that serves it (a Handler), following the value that
// flows into the registration (trace.go). TypeCheck type-checks a module
// with some files changed in memory, as a rewrite must before it is
// written.
//
// Analyses built on the module (package durable) and edits of it (package
// rewrite) sit above this package; what they compute once per module they
// keep in its memo (Memo).
package goapp
