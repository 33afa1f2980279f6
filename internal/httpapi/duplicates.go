package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// duplicates suggests the reports that may be the same thing as report id,
// best first, within the caller's municipalities.
func (api *duplicateAPI) duplicates(c *gin.Context) {
	p, ok := principal(c, auth.ReadReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	search, err := api.s.db.DuplicateCandidates(ctx, id, p.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	cats, err := api.categories(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	ranked := report.RankDuplicates(search.Of, search.Candidates, cats)
	// Suggestions show the candidates' free text: each one shown is a read.
	var entries []privacy.Entry
	for _, r := range ranked {
		if r.Description != "" {
			rid := r.ID
			entries = append(entries, privacy.Entry{ReportID: &rid,
				Detail: map[string]any{"fields": []string{"description"}, "suggested_for": id}})
		}
	}
	if !api.s.audit(c, privacy.ActionReadReport, entries) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{
		"report_id":       id,
		"radius_m":        search.RadiusM,
		"search_radius_m": 2 * search.RadiusM,
		"window_days":     int(report.DuplicateWindow.Hours() / 24),
		"candidates":      ranked,
	})
}

// unmerge undoes a merge: the report gets its status back, stops pointing at the
// kept report, and the confirmations the merge moved return to it.
func (api *duplicateAPI) unmerge(c *gin.Context) {
	p, ok := principal(c, auth.ManageReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	version, err := reportIfMatch(c, false)
	if err != nil {
		fail(c, err)
		return
	}
	d, err := api.staff.Unmerge(c.Request.Context(), api.s.db, p.Municipalities, p.Actor(), id, version)
	if err != nil {
		fail(c, err)
		return
	}
	if !api.s.auditReports(c, d.Report) {
		return
	}
	c.Header("ETag", reportETag(d.Version))
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, d)
}
