package check

import "github.com/dfversion/dfversion/hazard"

// Rule is a kind of finding, with a stable id.
type Rule struct {
	ID          string
	Description string
}

// The rules' ids. They are stable: scripts and ignore lists may name them.
const (
	RuleRegistrationOrphan = "registration-orphan"
	RuleHandlerMissing     = "handler-missing"
	RuleNameInvalid        = "name-invalid"
	RuleReferenceUnknown   = "reference-unknown"
	RuleReferenceVersion   = "reference-version"
	RuleReferenceDynamic   = "reference-dynamic"
	RulePointerStale       = "pointer-stale"
	RuleSchemaFunction     = "schema-function"
	RuleSchemaHost         = "schema-host"
	RuleReleasedRemoved    = "released-removed"
	RuleReleasedKind       = "released-kind-changed"
	RuleReleasedBindings   = "released-bindings-changed"
	RuleReleasedCalls      = "released-calls-changed"
	RuleReleasedCode       = "released-code-changed"
	RuleReleasedValue      = "released-value-changed"
	RuleReleasedTypes      = "released-types-changed"
	RuleReleasedBody       = "released-body-changed"
	RuleLockEntryRemoved   = "lock-entry-removed"
	RuleLockEntryChanged   = "lock-entry-changed"
	RuleLockMissing        = "lock-missing"
	RuleLockImprecise      = "lock-imprecise"
	RuleClientNamesRetired = "client-names-retired"
)

// Rules lists every rule with what it finds, for --help and the README.
func Rules() []Rule {
	rules := []Rule{
		{RuleHandlerMissing, "a function folder that no Go handler registration serves"},
		{RuleRegistrationOrphan, "a durable handler registered under a name that no function folder has"},
		{RuleNameInvalid, "a function name the host refuses (a letter, then letters, digits, _ or -, at most 128)"},
		{RuleReferenceUnknown, "a durable call naming a function that does not exist"},
		{RuleReferenceVersion, "a function at version k calling a version other than the newest <= k of a function (also through tables and helpers)"},
		{RuleReferenceDynamic, "a durable call whose target is not known statically (built at run time, read from input, a parameter) (note; an error with --strict)"},
		{RulePointerStale, "a pointer setting that does not name an orchestrator of the newest version"},
		{RuleSchemaFunction, "a function.json that breaks the function.json schema"},
		{RuleSchemaHost, "a host.json that breaks the host.json schema"},
		{RuleReleasedRemoved, "a released function version was removed or renamed (BREAKING)"},
		{RuleReleasedKind, "a released function version changed its kind, whatever it became (BREAKING)"},
		{RuleReleasedBindings, "a released function version changed its bindings (BREAKING)"},
		{RuleReleasedCalls, "a released orchestrator makes other durable calls, or in another order (BREAKING)"},
		{RuleReleasedCode, "code a released orchestrator reaches changed inside its durable slice: what decides its durable calls (BREAKING)"},
		{RuleReleasedValue, "code a released orchestrator reaches changed outside its durable slice: values, messages, names (note; BREAKING with --strict)"},
		{RuleReleasedTypes, "a released activity or entity changed its input or output types (BREAKING)"},
		{RuleReleasedBody, "a released activity or entity changed its code but kept its types (note; BREAKING with --strict)"},
		{RuleLockEntryRemoved, "an entry of the lock file at the base revision is gone (--against)"},
		{RuleLockEntryChanged, "an entry of the lock file at the base revision changed (--against)"},
		{RuleLockMissing, "the app has no dfversion.lock, so no version counts as released (note)"},
		{RuleLockImprecise, "the lock records no durable slice for some orchestrators, so every change to their code counts as breaking (note)"},
		{RuleClientNamesRetired, "a client's code names an orchestrator that prune retired"},
	}
	for _, h := range hazard.Rules {
		rules = append(rules, Rule{h.ID, h.Description + " (in code an orchestrator reaches)"})
	}
	return rules
}
