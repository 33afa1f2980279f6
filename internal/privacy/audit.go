package privacy

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Action names what an audit entry records.
type Action string

const (
	// ActionReadReport: a staff response showed a report's contact data or
	// free text (queue, report, change, merge, un-merge, duplicate suggestions).
	ActionReadReport Action = "report.read"
	// ActionExport: a document handed out of trygg: a lägesbild export (csv,
	// geojson, html), a walk protocol or a walk's GPX route.
	ActionExport Action = "export"
	// ActionPhotoRead: staff were sent the bytes of a photo the public may
	// not see (an unpublished report's, or a confirmation's not yet moderated).
	ActionPhotoRead Action = "photo.read"
	// ActionDelivery: a forwarded felanmälan's text was put in the outbox for
	// an external maintenance system (the actor is the forwarding caseworker).
	ActionDelivery Action = "delivery"
	// ActionDSRSearch, ActionDSRExport, ActionDSRErase: data subject requests.
	ActionDSRSearch Action = "dsr.search"
	ActionDSRExport Action = "dsr.export"
	ActionDSRErase  Action = "dsr.erase"
	// ActionExtract: a public-record extract; ActionExtractUnmasked when its
	// personal data was shown unmasked.
	ActionExtract         Action = "extract"
	ActionExtractUnmasked Action = "extract.unmasked"
)

// MaxReasonLen caps the optional why of an entry.
const MaxReasonLen = 500

// Entry is one audit record. Entries are only ever added.
type Entry struct {
	ID           int64          `json:"id"`
	At           time.Time      `json:"at"`
	Actor        string         `json:"actor"`
	TokenID      *uuid.UUID     `json:"token_id,omitempty"`
	Action       Action         `json:"action"`
	Municipality string         `json:"municipality,omitempty"`
	ReportID     *uuid.UUID     `json:"report_id,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	Detail       map[string]any `json:"detail,omitempty"`
}

// AuditStore appends and lists entries.
type AuditStore interface {
	AppendAudit(ctx context.Context, entries []Entry) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]Entry, error)
}

// AuditFilter selects entries, newest first. Municipalities is the caller's
// scope: an entry is listed when its municipality is in it (entries without a
// municipality, e.g. a search that found nothing, are listed to every admin).
type AuditFilter struct {
	Municipalities []string
	Actor          string
	Report         *uuid.UUID
	From, To       *time.Time
	Before         int64 // cursor: entries with a smaller id
	Limit          int
}

// AuditQuery is the listing request as it arrives.
type AuditQuery struct {
	Actor, Report, From, To, Cursor, Limit string
}

// ParseAuditQuery checks q and returns the filter for the caller's scope.
func ParseAuditQuery(q AuditQuery, scope []string) (AuditFilter, error) {
	f := AuditFilter{Municipalities: scope, Actor: strings.TrimSpace(q.Actor), Limit: 100}
	if q.Report != "" {
		id, err := uuid.Parse(q.Report)
		if err != nil {
			return f, apperr.Field("report", "report must be a report id (uuid)")
		}
		f.Report = &id
	}
	for _, t := range []struct {
		name, v string
		dst     **time.Time
	}{{"from", q.From, &f.From}, {"to", q.To, &f.To}} {
		if t.v == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339, t.v)
		if err != nil {
			return f, apperr.Field(t.name, "%s must be an RFC 3339 time, e.g. 2026-11-01T00:00:00Z", t.name)
		}
		*t.dst = &at
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, apperr.Field("to", "to must be after from")
	}
	if q.Limit != "" {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > 1000 {
			return f, apperr.Field("limit", "limit must be 1 to 1000")
		}
		f.Limit = n
	}
	if q.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.Cursor)
		id, err2 := strconv.ParseInt(strings.TrimPrefix(string(b), "a:"), 10, 64)
		if err != nil || err2 != nil || !strings.HasPrefix(string(b), "a:") || id < 1 {
			return f, apperr.Field("cursor", "cursor must be a next_cursor from an earlier page")
		}
		f.Before = id
	}
	return f, nil
}

// AuditCursor is the cursor that continues after the entry with id.
func AuditCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("a:" + strconv.FormatInt(id, 10)))
}

// CheckReason validates an optional reason.
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxReasonLen {
		return "", apperr.Field("reason", "the audit reason is at most %d characters", MaxReasonLen)
	}
	return reason, nil
}
