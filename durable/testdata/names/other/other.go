// Package other holds a helper in another package of the module.
package other

// Fast is the name of the fast activity.
const Fast = "Fast"

// Pick returns an activity name by a switch over constants.
func Pick(kind string) string {
	switch kind {
	case "fast":
		return Fast
	}
	return "Slow"
}
