// Package durable analyses what a released orchestrator's code does that
// Durable Functions replay compares: its durable slice (slice.go).
//
// Replay matches the durable actions an orchestrator schedules (activities,
// sub-orchestrations, timers, external-event waits, continue-as-new) with
// its history by sequence number, kind and target name; argument values,
// outputs, log messages and local names are not compared. The slice is the
// part of the code that can change that sequence; an edit outside it is
// replay-safe.
package durable
