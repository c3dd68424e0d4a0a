// Package manifest models a Go custom-handler function app as its
// configuration files describe it: host.json, and one folder per function
// holding a function.json. It knows each function's name, durable kind and
// version; it does not read Go code (package goapp does) or app settings
// (package appsettings does).
package manifest
