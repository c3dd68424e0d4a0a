// Package appsettings reads the app settings of a function app and edits
// them in place.
//
// Two layouts are understood, told apart by their content: local.settings.json
// (an object whose "Values" member holds the settings) and the output of
// `az functionapp config appsettings list` (an array of objects with "name",
// "value" and "slotSetting"). Files may hold a byte-order mark, comments and
// trailing commas, as the Functions host allows.
//
// Edits never reformat a file. A changed value is spliced into the original
// bytes; a new setting is written with the file's own indentation, key/value
// separator and line endings. Offsets are found in the copy that
// jsonfile.Clean returns, which keeps every byte at its offset, and no JSON
// path syntax is involved, so setting names such as "a.b", "x*y" or "FOO:BAR"
// are taken literally.
package appsettings
