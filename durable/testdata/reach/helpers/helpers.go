// Package helpers is a package the orchestrators of the reach fixture use.
package helpers

// Prefix is read by Label.
var Prefix = "city: "

func init() { Prefix = "town: " }

// Label labels a city.
func Label(c string) string { return Prefix + c }
