package report

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/photo"
)

// A confirmation is a resident saying "I see this too" about a published report.
// Each device counts once per report, so the count means "this many phones",
// not "this many taps". For otrygghet a confirmation is an extra observation of
// the same place: hotspot and lägesbild counts may weigh a report 1 + its
// confirmations. Who confirmed is never shown; the event carries no device data.
// A confirmation may carry one photo, which staff see at once and the public
// only after staff publish that photo on its own (PATCH
// /v1/staff/reports/{id}/photos/{photo_id}), and gets a follow-up token of its
// own, so the resident who confirmed follows the report as its reporter does.

// EventConfirmation is the event type recorded on the report for a new confirmation.
const EventConfirmation = "confirmation"

// ConfirmationScope is the idempotency scope of confirmation requests.
const ConfirmationScope = "confirmation"

// NewConfirmation is what a resident's app sends, with the device hash the server adds.
type NewConfirmation struct {
	ReportID   uuid.UUID `json:"-"`
	DeviceHash []byte    `json:"-"` // under the current key (privacy.DeviceKeys)
	// DevicePrevious is the same device under the previous period's key, so a
	// device that confirmed before the last key rotation is still found.
	DevicePrevious  []byte `json:"-"`
	DeviceKeyPeriod int    `json:"-"`
	Feeling         *int   `json:"feeling,omitempty"`
	// Photo is the cleaned picture sent with the confirmation, if any. It is
	// kept pending: never public until staff publish it.
	Photo *photo.Photo `json:"-"`
	// FollowUpToken lets the confirming resident follow the report; only its
	// hash, FollowUpHash, is stored.
	FollowUpToken string `json:"-"`
	FollowUpHash  []byte `json:"-"`
}

// Confirmation is a stored confirmation as its sender sees it. Confirmations is
// the report's count right after this confirmation was recorded or, for a device
// that had confirmed before, the count when it asked again.
type Confirmation struct {
	ID            uuid.UUID `json:"id"`
	ReportID      uuid.UUID `json:"report_id"`
	Reference     string    `json:"reference"`
	Feeling       int       `json:"feeling,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	Confirmations int       `json:"confirmations"`
	Photo         *PhotoRef `json:"photo,omitempty"`
	// FollowUpToken is in the first answer only (and its retries under the
	// same Idempotency-Key): only its hash is stored.
	FollowUpToken string `json:"follow_up_token,omitempty"`
}

// Validate checks what does not depend on the report.
func (n NewConfirmation) Validate() error {
	if len(n.DeviceHash) == 0 {
		return apperr.Field("X-Device-Id", "header X-Device-Id is required: one confirmation counts per device")
	}
	if f := n.Feeling; f != nil && (*f < 1 || *f > 5) {
		return apperr.Field("feeling", "feeling must be 1 (very unsafe) to 5 (safe)")
	}
	return nil
}

// RequestHash identifies the request for idempotency: a key reused for another
// report, device or feeling is refused.
func (n NewConfirmation) RequestHash() []byte {
	f := 0
	if n.Feeling != nil {
		f = *n.Feeling
	}
	var pic []byte
	if n.Photo != nil {
		pic = n.Photo.SHA256[:]
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%x|%d|%x", n.ReportID, n.DeviceHash, f, pic))
	return h[:]
}

// Confirmable is the state of a report that decides whether it can be confirmed.
type Confirmable struct {
	Kind       string
	Status     Status
	Visibility Visibility
	// OwnDevice is true when the confirming device filed the report itself.
	OwnDevice bool
}

// CheckConfirmation says whether n may be recorded on a report in state r. A
// report the public cannot see is "not found", so that confirming cannot be
// used to probe for pending or hidden reports.
func CheckConfirmation(n NewConfirmation, r Confirmable) error {
	if r.Visibility != Published {
		return apperr.Errorf(apperr.NotFound, "no published report with that id")
	}
	if r.Kind == KindFelanmalan && !r.Status.Open() {
		return &apperr.Error{Kind: apperr.Conflict,
			Message: "this felanmälan is " + string(r.Status) + "; only open ones can be confirmed",
			Details: map[string]any{"status": r.Status}}
	}
	if r.Kind == KindOtrygghet && (r.Status == Duplicate || r.Status == Rejected) {
		return &apperr.Error{Kind: apperr.Conflict,
			Message: "this report is " + string(r.Status) + " and can no longer be confirmed",
			Details: map[string]any{"status": r.Status}}
	}
	if n.Feeling != nil && r.Kind != KindOtrygghet {
		return apperr.Field("feeling", "feeling belongs to otrygghet reports only")
	}
	if r.OwnDevice {
		return apperr.Errorf(apperr.Conflict, "this device filed the report; a confirmation must come from someone else")
	}
	return nil
}
