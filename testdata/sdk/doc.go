// Package durabletask is a small stand-in for github.com/microsoft/durabletask-go,
// used only by dfversion's test fixtures.
//
// The real module is not served by the module proxy the tests run against, so
// the fixture apps under testdata/apps replace it with this one. It keeps the
// real SDK's API shapes (task.OrchestrationContext, CallActivity(...).Await,
// TaskRegistry, names of function values taken by reflection) so that the apps
// read like real Go custom handlers, but it has no durable engine:
//
//   - an orchestrator runs once per invocation, every Task completes at once
//     and Await leaves its argument untouched (zero values);
//   - every durable call the orchestrator makes is recorded, in order, and sent
//     back as the invocation's return value, so a test can see which functions
//     each orchestrator route calls;
//   - activities run for real and return their result;
//   - the client records the orchestrations it is asked to start and returns a
//     fake instance ID that contains the orchestrator's name.
//
// Packages: task (orchestration and activity contexts, the registry),
// customhandler (MapOrchestrator and MapActivity, the adapters of Microsoft's
// Azure Functions sample, and MapOrchestratorN and MapActivityN, which also
// take the function's name) and client (starting orchestrations).
package durabletask
