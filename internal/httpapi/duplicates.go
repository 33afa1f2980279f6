package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

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
	out, err := api.rank(ctx, search)
	if err != nil {
		fail(c, err)
		return
	}
	if !api.auditSuggestions(c, id, out.Candidates) {
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{
		"report_id":       id,
		"radius_m":        out.RadiusM,
		"search_radius_m": out.SearchRadiusM,
		"window_days":     out.WindowDays,
		"candidates":      out.Candidates,
	})
}

// duplicateSuggestions are the scored candidates as the staff report view
// carries them.
type duplicateSuggestions struct {
	RadiusM       int                         `json:"radius_m"`
	SearchRadiusM int                         `json:"search_radius_m"`
	WindowDays    int                         `json:"window_days"`
	Candidates    []report.DuplicateCandidate `json:"candidates"`
}

func (api *duplicateAPI) rank(ctx context.Context, search report.DuplicateSearch) (duplicateSuggestions, error) {
	cats, err := api.categories(ctx)
	if err != nil {
		return duplicateSuggestions{}, err
	}
	return duplicateSuggestions{
		RadiusM: search.RadiusM, SearchRadiusM: 2 * search.RadiusM,
		WindowDays: int(report.DuplicateWindow.Hours() / 24),
		Candidates: report.RankDuplicates(search.Of, search.Candidates, cats),
	}, nil
}

// auditSuggestions records the reading of the candidates' free text:
// suggestions show it, so each one shown is a read. false means the answer
// has been written (the audit failed).
func (api *duplicateAPI) auditSuggestions(c *gin.Context, id uuid.UUID, cands []report.DuplicateCandidate) bool {
	var entries []privacy.Entry
	for _, r := range cands {
		if r.Description != "" {
			rid := r.ID
			entries = append(entries, privacy.Entry{ReportID: &rid,
				Detail: map[string]any{"fields": []string{"description"}, "suggested_for": id}})
		}
	}
	return api.s.audit(c, privacy.ActionReadReport, entries)
}

// suggest scores the likely duplicates of r for its staff view. A report
// already merged away has none: it can be un-merged, not merged again.
func (api *duplicateAPI) suggest(ctx context.Context, r report.Report, scope []string) (duplicateSuggestions, error) {
	if r.Status == report.Duplicate {
		return duplicateSuggestions{Candidates: []report.DuplicateCandidate{}}, nil
	}
	search, err := api.s.db.DuplicateCandidates(ctx, r.ID, scope)
	if err != nil {
		return duplicateSuggestions{}, err
	}
	return api.rank(ctx, search)
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
