// Package rewrite reads and rewrites the Go code of a custom-handler
// function app. It loads the app's module once with full type information
// (golang.org/x/tools/go/packages), finds the handler that serves each
// function and the registration that binds it to the function's name, and
// follows the code a handler reaches.
package rewrite
