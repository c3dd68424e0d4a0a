package mgmt

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Status is an orchestration instance's runtime status, as the management
// API spells it.
type Status string

// The runtime statuses the management API knows.
const (
	Running    Status = "Running"
	Pending    Status = "Pending"
	Failed     Status = "Failed"
	Canceled   Status = "Canceled"
	Terminated Status = "Terminated"
	Completed  Status = "Completed"
	Suspended  Status = "Suspended"
	// ContinuedAsNew is a legacy status that older hosts may still report.
	ContinuedAsNew Status = "ContinuedAsNew"
)

// Statuses lists every runtime status in the order of the Durable Task
// Framework's OrchestrationRuntimeStatus enumeration, whose numeric values
// some hosts send instead of names.
var Statuses = []Status{Running, Completed, ContinuedAsNew, Failed, Canceled, Terminated, Pending, Suspended}

// ParseStatus returns the status named s, ignoring case, and whether s
// names one.
func ParseStatus(s string) (Status, bool) {
	for _, st := range Statuses {
		if strings.EqualFold(s, string(st)) {
			return st, true
		}
	}
	return "", false
}

// Instance is one orchestration (or entity) instance as the management API
// lists it. Input, output and custom status are not kept: the client asks
// for inputs to be left out, and never needs any of them.
type Instance struct {
	// Name is the orchestrator's registered name (for an entity instance,
	// the entity's name).
	Name string `json:"name"`
	// InstanceID is the instance's ID; entity instances have IDs of the
	// form "@name@key".
	InstanceID string `json:"instanceId"`
	// RuntimeStatus is the status as sent, normalized to the spelling of
	// the Status constants when it names one.
	RuntimeStatus Status `json:"runtimeStatus"`
	// CreatedTime and LastUpdatedTime are zero when the server sent none,
	// or a time dfversion could not read.
	CreatedTime     time.Time `json:"createdTime"`
	LastUpdatedTime time.Time `json:"lastUpdatedTime"`
}

// IsEntity reports whether the instance is a durable entity rather than an
// orchestration: entity instance IDs start with '@'. Entities stay
// "Running" for as long as they hold state.
func (in Instance) IsEntity() bool { return strings.HasPrefix(in.InstanceID, "@") }

// UnmarshalJSON reads an instance leniently: the status may be a name in
// any case or the enumeration's number, and times may lack a time zone
// (then they are UTC) or be unreadable (then they are zero).
func (in *Instance) UnmarshalJSON(data []byte) error {
	var wire struct {
		Name            string          `json:"name"`
		InstanceID      string          `json:"instanceId"`
		RuntimeStatus   json.RawMessage `json:"runtimeStatus"`
		CreatedTime     string          `json:"createdTime"`
		LastUpdatedTime string          `json:"lastUpdatedTime"`
	}
	if err := json.Unmarshal(data, &wire); err != nil {
		return err
	}
	status, err := decodeStatus(wire.RuntimeStatus)
	if err != nil {
		return fmt.Errorf("instance %q: %w", wire.InstanceID, err)
	}
	*in = Instance{
		Name:            wire.Name,
		InstanceID:      wire.InstanceID,
		RuntimeStatus:   status,
		CreatedTime:     parseTime(wire.CreatedTime),
		LastUpdatedTime: parseTime(wire.LastUpdatedTime),
	}
	return nil
}

func decodeStatus(raw json.RawMessage) (Status, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		if st, ok := ParseStatus(name); ok {
			return st, nil
		}
		return Status(name), nil
	}
	n, err := strconv.Atoi(string(raw))
	if err != nil {
		return "", fmt.Errorf("runtimeStatus %s is neither a name nor a number", raw)
	}
	if n < 0 || n >= len(Statuses) {
		return Status(strconv.Itoa(n)), nil
	}
	return Statuses[n], nil
}

// timeLayouts are the forms hosts write times in: RFC 3339 with or without
// fractions, and .NET's round-trip form without a zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"}

func parseTime(s string) time.Time {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}
