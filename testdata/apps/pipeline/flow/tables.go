package flow

// The names of the durable functions that the orchestrators name with
// constants.
const (
	validate   = "Validate"
	archiveRun = "ArchiveRun"
	chargeCard = "ChargeCard"
)

// step is one stage of a pipeline run.
type step struct {
	Name     string
	Activity string
}

// stages are the stages of a run, in order.
var stages = []step{
	{Name: "validate", Activity: validate},
	{Name: "transform", Activity: "Transform"},
}

// cleanup are the activities that tidy up after a settled run.
var cleanup = []string{archiveRun, "PurgeCache"}

// formatters name the activity that formats a notification, by channel.
var formatters = map[string]string{
	"Email": "FormatEmail",
	"Sms":   "FormatSms",
}

// paymentActivity names the activity that charges in a currency.
func paymentActivity(currency string) string {
	switch currency {
	case "EUR":
		return "ChargeSepa"
	default:
		return chargeCard
	}
}
