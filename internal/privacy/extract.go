package privacy

import (
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/report"
)

// Extract is a report as it is handed out on request under
// offentlighetsprincipen (a public-record extract). Personal data is masked
// unless an official decided otherwise (Unmasked, with a recorded reason).
type Extract struct {
	ID           uuid.UUID       `json:"id"`
	Reference    string          `json:"reference"`
	Kind         string          `json:"kind"`
	Category     string          `json:"category"`
	Municipality string          `json:"municipality"`
	Location     report.Location `json:"location"`
	ObservedAt   time.Time       `json:"observed_at"`
	ReceivedAt   time.Time       `json:"received_at"`
	Status       report.Status   `json:"status"`
	Description  string          `json:"description,omitempty"`
	Contact      *report.Contact `json:"contact,omitempty"`
	Photos       int             `json:"photos"`
	History      []ExtractEvent  `json:"history"`
	Unmasked     bool            `json:"unmasked"`
	MaskingRule  string          `json:"masking_rule"`
	ProducedAt   time.Time       `json:"produced_at"`
}

// ExtractEvent is one entry of the report's history in an extract.
type ExtractEvent struct {
	At         time.Time     `json:"at"`
	Type       string        `json:"type"`
	FromStatus report.Status `json:"from_status,omitempty"`
	ToStatus   report.Status `json:"to_status,omitempty"`
	Note       string        `json:"note,omitempty"`
}

// MaskingRuleText names the rule applied, for the reader of the extract.
const MaskingRuleText = "contact data replaced by [maskerat]; in free text e-mail addresses → [e-post], " +
	"phone numbers (7+ digits) → [telefon], the reporter's names and runs of two or more capitalised words → [namn]; " +
	"device identifiers are never included"

// NewExtract builds the extract of d at now. Unless unmask is true, contact
// fields are replaced by MaskContact and free text (description and notes) is
// masked by MaskText; device data is never part of an extract.
func NewExtract(d report.Detail, unmask bool, now time.Time) Extract {
	e := Extract{
		ID: d.ID, Reference: d.Reference, Kind: d.Kind, Category: d.Category, Municipality: d.Municipality.Code,
		Location: d.Location, ObservedAt: d.ObservedAt, ReceivedAt: d.ReceivedAt, Status: d.Status,
		Description: d.Description, Photos: len(d.Photos), History: []ExtractEvent{}, Unmasked: unmask, ProducedAt: now,
	}
	var names []string
	if c := d.Contact; c != nil {
		names = []string{c.Name}
		cc := *c
		e.Contact = &cc
	}
	mask := func(s string) string {
		if unmask {
			return s
		}
		return MaskText(s, names...)
	}
	e.Description = mask(e.Description)
	for _, h := range d.History {
		e.History = append(e.History, ExtractEvent{At: h.At, Type: h.Type, FromStatus: h.FromStatus, ToStatus: h.ToStatus, Note: mask(h.Note)})
	}
	if !unmask {
		e.MaskingRule = MaskingRuleText
		if c := e.Contact; c != nil {
			for _, f := range []*string{&c.Name, &c.Email, &c.Phone} {
				if *f != "" {
					*f = MaskContact
				}
			}
		}
	}
	return e
}
