package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// auditReasonHeader carries the optional why of a staff read or export; it is
// stored with every audit entry the request writes.
const auditReasonHeader = "X-Audit-Reason"

// auditReason returns the request's checked reason (authenticate refuses a bad one).
func auditReason(c *gin.Context) (string, error) {
	return privacy.CheckReason(c.GetHeader(auditReasonHeader))
}

// audit records that the caller saw or exported personal data. The entries
// are written before the response: when they cannot be stored, the data is not
// sent (500) and false is returned.
func (s *Server) audit(c *gin.Context, action privacy.Action, entries []privacy.Entry) bool {
	p, _ := auth.FromContext(c.Request.Context())
	reason, _ := auditReason(c)
	at := s.now()
	for i := range entries {
		e := &entries[i]
		e.At, e.Actor, e.Action, e.Reason = at, p.Actor(), action, reason
		if p.TokenID != uuid.Nil {
			id := p.TokenID
			e.TokenID = &id
		}
		if e.Detail == nil {
			e.Detail = map[string]any{}
		}
		e.Detail["route"] = c.Request.Method + " " + c.FullPath()
	}
	if err := s.db.AppendAudit(c.Request.Context(), entries); err != nil {
		fail(c, err)
		return false
	}
	return true
}

// personalFields names what of r a staff response shows that is personal data.
func personalFields(r report.Report) []string {
	var f []string
	if r.Contact != nil && !r.Contact.Empty() {
		f = append(f, "contact")
	}
	if r.Description != "" {
		f = append(f, "description")
	}
	return f
}

// auditReports records a read of every report in list that shows contact data
// or free text.
func (s *Server) auditReports(c *gin.Context, list ...report.Report) bool {
	var entries []privacy.Entry
	for _, r := range list {
		f := personalFields(r)
		if len(f) == 0 {
			continue
		}
		id := r.ID
		entries = append(entries, privacy.Entry{Municipality: r.Municipality.Code, ReportID: &id, Detail: map[string]any{"fields": f}})
	}
	return s.audit(c, privacy.ActionReadReport, entries)
}

// listAudit is GET /v1/admin/audit: entries newest first, within the token's
// municipalities, by actor, report and time; paged by cursor.
func (s *Server) listAudit(c *gin.Context) {
	p, ok := principal(c, auth.Administer)
	if !ok {
		return
	}
	f, err := privacy.ParseAuditQuery(privacy.AuditQuery{
		Actor: c.Query("actor"), Report: c.Query("report"), From: c.Query("from"), To: c.Query("to"),
		Cursor: c.Query("cursor"), Limit: c.Query("limit"),
	}, p.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	limit := f.Limit
	f.Limit++
	list, err := s.db.AuditEntries(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	if list == nil {
		list = []privacy.Entry{}
	}
	out := gin.H{"entries": list}
	if len(list) > limit {
		list = list[:limit]
		out = gin.H{"entries": list, "next_cursor": privacy.AuditCursor(list[limit-1].ID)}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, out)
}

var errBadReason = apperr.Field(auditReasonHeader, "%s is at most %d characters", auditReasonHeader, privacy.MaxReasonLen)
