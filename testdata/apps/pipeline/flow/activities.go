package flow

import "github.com/microsoft/durabletask-go/task"

// done is what every activity of the sample answers.
func done() (any, error) { return "done", nil }

// Validate checks a run's input.
func Validate(ctx task.ActivityContext) (any, error) { return done() }

// Transform transforms a run's records.
func Transform(ctx task.ActivityContext) (any, error) { return done() }

// StoreHot stores a run's output in hot storage.
func StoreHot(ctx task.ActivityContext) (any, error) { return done() }

// StoreCold stores a run's output in cold storage.
func StoreCold(ctx task.ActivityContext) (any, error) { return done() }

// ChargeCard charges a run's cost to a card.
func ChargeCard(ctx task.ActivityContext) (any, error) { return done() }

// ChargeSepa charges a run's cost by SEPA direct debit.
func ChargeSepa(ctx task.ActivityContext) (any, error) { return done() }

// ArchiveRun archives a settled run.
func ArchiveRun(ctx task.ActivityContext) (any, error) { return done() }

// PurgeCache empties the run's cache.
func PurgeCache(ctx task.ActivityContext) (any, error) { return done() }

// FormatEmail writes a notification as an email.
func FormatEmail(ctx task.ActivityContext) (any, error) { return done() }

// FormatSms writes a notification as a text message.
func FormatSms(ctx task.ActivityContext) (any, error) { return done() }

// SendEmail sends an email.
func SendEmail(ctx task.ActivityContext) (any, error) { return done() }

// SendSms sends a text message.
func SendSms(ctx task.ActivityContext) (any, error) { return done() }
