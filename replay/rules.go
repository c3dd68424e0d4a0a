package replay

import "github.com/dfversion/dfversion/check"

// The rule ids of dfversion replay's findings. They are stable.
const (
	RuleDiverges            = "replay-diverges"
	RuleOrchestratorMissing = "replay-orchestrator-missing"
	RuleUnchecked           = "replay-unchecked"
)

// Rules lists replay's rules with what they find, for --help and SARIF.
func Rules() []check.Rule {
	return []check.Rule{
		{ID: RuleDiverges, Description: "an instance in flight whose recorded durable actions no run of the orchestrator's code in the working tree schedules (it would break on replay)"},
		{ID: RuleOrchestratorMissing, Description: "an instance in flight of an orchestrator the working tree no longer has (it cannot replay)"},
		{ID: RuleUnchecked, Description: "an instance whose history does not say enough to decide (note)"},
	}
}
