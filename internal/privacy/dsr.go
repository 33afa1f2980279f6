package privacy

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Subject is the person of a data subject request, known by an e-mail address
// or a phone number (or both: either matches).
type Subject struct {
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Normalize checks the subject and brings both identifiers to the form they
// are compared in: e-mail trimmed and lower-cased; phone as digits only with a
// Swedish +46/0046 prefix written as a leading 0 (so "+46 70-123 45 67" and
// "070 123 45 67" are the same person).
func (s Subject) Normalize() (Subject, error) {
	s.Email = strings.ToLower(strings.TrimSpace(s.Email))
	s.Phone = NormalizePhone(s.Phone)
	if s.Email == "" && s.Phone == "" {
		return s, apperr.Field("email", "give the subject's email or phone")
	}
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email {
			return s, apperr.Field("email", "email is not an e-mail address")
		}
	}
	if s.Phone != "" && len(s.Phone) < 7 {
		return s, apperr.Field("phone", "phone must have at least 7 digits")
	}
	return s, nil
}

// NormalizePhone is the comparison form of a phone number ("" when it has no digits).
func NormalizePhone(p string) string {
	var b strings.Builder
	p = strings.TrimSpace(p)
	switch {
	case strings.HasPrefix(p, "+46"):
		b.WriteByte('0')
		p = p[3:]
	case strings.HasPrefix(p, "0046"):
		b.WriteByte('0')
		p = p[4:]
	}
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.String() == "0" {
		return ""
	}
	return b.String()
}

// SubjectReport is one report linked to a subject, with all personal data
// trygg holds about it: what an export hands over and an erasure removes.
type SubjectReport struct {
	ID           uuid.UUID      `json:"id"`
	Reference    string         `json:"reference"`
	Kind         string         `json:"kind"`
	Category     string         `json:"category"`
	Municipality string         `json:"municipality"`
	ObservedAt   time.Time      `json:"observed_at"`
	ReceivedAt   time.Time      `json:"received_at"`
	Status       string         `json:"status"`
	Location     [2]float64     `json:"location"` // lon, lat
	Description  string         `json:"description,omitempty"`
	Contact      map[string]any `json:"contact,omitempty"`
	MatchedBy    []string       `json:"matched_by"` // contact.email, contact.phone, description
	Photos       []SubjectPhoto `json:"photos"`
	Events       []SubjectEvent `json:"events"`
	ErasedAt     *time.Time     `json:"erased_at,omitempty"`
}

// SubjectPhoto is a photo of a subject's report; Data is the JPEG, base64 in JSON.
type SubjectPhoto struct {
	ID          uuid.UUID `json:"id"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"data,omitempty"`
}

// SubjectEvent is an entry of a report's history as the export shows it.
type SubjectEvent struct {
	At         time.Time `json:"at"`
	Type       string    `json:"type"`
	FromStatus string    `json:"from_status,omitempty"`
	ToStatus   string    `json:"to_status,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// Erasure is what an erasure removed. Notes counts the events whose free-text
// note was removed: all notes on the subject's reports go, staff's internal
// ones too, because a caseworker's note may quote the resident ("called back
// on 070…") and no rule can tell a quote from a paraphrase. FollowUps counts
// the follow-up tokens (the reporter's and every confirmer's) that stop
// working, and Receipts the stored idempotent responses from which those
// tokens were removed.
type Erasure struct {
	Reports   int64 `json:"reports"`
	Contacts  int64 `json:"contacts"`
	Texts     int64 `json:"texts"`
	Photos    int64 `json:"photos"`
	Devices   int64 `json:"devices"`
	Notes     int64 `json:"notes"`
	FollowUps int64 `json:"follow_ups"`
	Receipts  int64 `json:"receipts"`
}

// DSRStore finds and erases a subject's data within municipalities.
type DSRStore interface {
	SubjectReports(ctx context.Context, s Subject, municipalities []string, withPhotos bool) ([]SubjectReport, error)
	EraseReports(ctx context.Context, ids []uuid.UUID, at time.Time) (Erasure, error)
}
