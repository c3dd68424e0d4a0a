// Package durable answers one question about a function app's Go code:
// what does this orchestrator (or activity, or entity) do durably? It is
// the analysis that check, bump, lock and replay share, over a module that
// package goapp loaded; it never edits code (package rewrite does).
//
// Replay matches the durable actions an orchestrator schedules (activities,
// sub-orchestrations, timers, external-event waits, continue-as-new) with
// its history by sequence number, kind and target name; argument values,
// outputs, log messages and local names are not compared. What the package
// computes follows from that, one file per idea:
//
//   - reach.go (with reach_index.go, reach_writes.go, reach_dynamic.go):
//     every declaration of the module a handler's code can run or read,
//     and the path that reaches it (ReachOf, ReachUntil).
//   - names.go: the names a durable call's target expression can take, or
//     why they cannot be known (ResolveTarget).
//   - fingerprint.go: what the lock records of a function (FingerprintOf):
//     the hash of each declaration reached, the skeleton of durable calls
//     in source order, and, with shape.go, the shapes of activities' and
//     entities' input and output types; tokens.go hashes source so that
//     only a change of tokens counts.
//   - slice.go (with func.go, deps.go, control.go, serialize.go): the
//     durable slice over SSA form, the part of the reached code that can
//     change the sequence of durable actions; an edit outside it is
//     replay-safe (Analysis.Slice).
//   - hazards.go: the constructs that make replay diverge (time, random
//     numbers, goroutines, map order...), found with package hazard's
//     rules along the reach (Hazards).
//   - edited.go: which reached declarations changed since a git revision
//     (EditedSince), which bump copies for the new version.
//
// Everything here is sound before precise: where the analysis cannot see
// (reflection, unsafe, a dynamic call it cannot resolve, code that does not
// type-check), it says so or counts the code as reached.
package durable
