// Package plan holds the complete set of file changes a dfversion command
// intends to make, and turns it into either a diff or a real write.
//
// Every command that changes files first builds a [Plan]: the new content of
// every file it touches, together with the content each existing file had
// when it was read. The same Plan is then printed by --dry-run ([Plan.Diff]),
// inspected by tests, or written by [Plan.Apply], so a dry run can never
// disagree with the real run.
//
// Apply is all or nothing. It first checks every target (unchanged since it
// was read, writable, not a directory, not already existing for a new file),
// then writes each file atomically, and if any step fails it puts back every
// file and directory it had already touched.
package plan
