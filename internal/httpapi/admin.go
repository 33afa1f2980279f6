package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// adminRoutes registers the privacy administration: the audit log, data
// subject requests and public-record extracts. All need the admin role and
// stay within the token's municipalities. The audit log has no route that
// changes it.
func (s *Server) adminRoutes(r *gin.Engine) {
	g := r.Group("/v1/admin", s.authenticate, s.validate)
	g.GET("/audit", s.listAudit)
	g.POST("/dsr/search", limitBody(s.cfg.BodyLimit), s.dsrSearch)
	g.POST("/dsr/export", limitBody(s.cfg.BodyLimit), s.dsrExport)
	g.POST("/dsr/erase", limitBody(s.cfg.BodyLimit), s.dsrErase)
	g.GET("/reports/:id/extract", s.extract)
}

// dsrRequest reads the subject of a data subject request.
func (s *Server) dsrRequest(c *gin.Context) (auth.Principal, privacy.Subject, bool) {
	p, ok := principal(c, auth.Administer)
	if !ok {
		return p, privacy.Subject{}, false
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return p, privacy.Subject{}, false
	}
	var sub privacy.Subject
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sub); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "the body must be {\"email\": ..., \"phone\": ...}"))
		return p, sub, false
	}
	if sub, err = sub.Normalize(); err != nil {
		fail(c, err)
		return p, sub, false
	}
	return p, sub, true
}

// dsrEntries records one entry per report found (or one without a report
// when nothing was found), so that the search itself is on record.
func (s *Server) dsrEntries(c *gin.Context, action privacy.Action, sub privacy.Subject, list []privacy.SubjectReport, extra map[string]any) bool {
	subject := map[string]any{}
	if sub.Email != "" {
		subject["email"] = sub.Email
	}
	if sub.Phone != "" {
		subject["phone"] = sub.Phone
	}
	detail := func() map[string]any {
		d := map[string]any{"subject": subject, "reports_found": len(list)}
		for k, v := range extra {
			d[k] = v
		}
		return d
	}
	if len(list) == 0 {
		return s.audit(c, action, []privacy.Entry{{Detail: detail()}})
	}
	entries := make([]privacy.Entry, len(list))
	for i, r := range list {
		id := r.ID
		entries[i] = privacy.Entry{Municipality: r.Municipality, ReportID: &id, Detail: detail()}
	}
	return s.audit(c, action, entries)
}

// dsrSearch lists the reports linked to an e-mail or phone, without their
// personal data: enough to decide on an export or an erasure.
func (s *Server) dsrSearch(c *gin.Context) {
	p, sub, ok := s.dsrRequest(c)
	if !ok {
		return
	}
	list, err := s.db.SubjectReports(c.Request.Context(), sub, p.Municipalities, false)
	if err != nil {
		fail(c, err)
		return
	}
	if !s.dsrEntries(c, privacy.ActionDSRSearch, sub, list, nil) {
		return
	}
	type found struct {
		ID           uuid.UUID `json:"id"`
		Reference    string    `json:"reference"`
		Kind         string    `json:"kind"`
		Category     string    `json:"category"`
		Municipality string    `json:"municipality"`
		ReceivedAt   string    `json:"received_at"`
		MatchedBy    []string  `json:"matched_by"`
		Erased       bool      `json:"erased"`
	}
	out := make([]found, len(list))
	for i, r := range list {
		out[i] = found{r.ID, r.Reference, r.Kind, r.Category, r.Municipality, r.ReceivedAt.UTC().Format("2006-01-02T15:04:05Z"), r.MatchedBy, r.ErasedAt != nil}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"subject": sub, "reports": out})
}

// dsrExport hands over everything trygg holds about the subject as one JSON
// document (photos base64-encoded).
func (s *Server) dsrExport(c *gin.Context) {
	p, sub, ok := s.dsrRequest(c)
	if !ok {
		return
	}
	list, err := s.db.SubjectReports(c.Request.Context(), sub, p.Municipalities, true)
	if err != nil {
		fail(c, err)
		return
	}
	if !s.dsrEntries(c, privacy.ActionDSRExport, sub, list, nil) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Disposition", `attachment; filename="trygg-registerutdrag.json"`)
	c.JSON(http.StatusOK, gin.H{"subject": sub, "produced_at": s.now().UTC(), "reports": list})
}

// dsrErase removes the subject's personal data from every linked report; the
// reports stay as anonymous counts (kind, category, place, time, status).
func (s *Server) dsrErase(c *gin.Context) {
	p, sub, ok := s.dsrRequest(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	list, err := s.db.SubjectReports(ctx, sub, p.Municipalities, false)
	if err != nil {
		fail(c, err)
		return
	}
	ids := make([]uuid.UUID, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	// The intent is recorded first: an erasure that fails half-way is still on record.
	if !s.dsrEntries(c, privacy.ActionDSRErase, sub, list, nil) {
		return
	}
	e, err := s.db.EraseReports(ctx, ids, s.now())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"subject": sub, "report_ids": ids, "erased": e})
}

// extract is GET /v1/admin/reports/{id}/extract: the report as handed out
// under offentlighetsprincipen, personal data masked unless unmask=true, which
// needs an X-Audit-Reason and is recorded as extract.unmasked.
func (s *Server) extract(c *gin.Context) {
	p, ok := principal(c, auth.Administer)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	unmask := false
	if v := c.Query("unmask"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fail(c, apperr.Field("unmask", "unmask must be true or false"))
			return
		}
		unmask = b
	}
	if reason, _ := auditReason(c); unmask && reason == "" {
		fail(c, apperr.Field(auditReasonHeader, "unmasking personal data needs a reason: send it in %s", auditReasonHeader))
		return
	}
	st := &report.Staff{Store: s.db, Now: s.now}
	d, err := st.Get(c.Request.Context(), p.Municipalities, id)
	if err != nil {
		fail(c, err)
		return
	}
	action := privacy.ActionExtract
	if unmask {
		action = privacy.ActionExtractUnmasked
	}
	if !s.audit(c, action, []privacy.Entry{{Municipality: d.Municipality.Code, ReportID: &d.ID}}) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, privacy.NewExtract(d, unmask, s.now().UTC()))
}
