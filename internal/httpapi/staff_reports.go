package httpapi

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/report"
)

// staffReportAPI is the caseworker queue: list, open, change and merge reports
// within the token's municipalities.
type staffReportAPI struct {
	s     *Server
	staff *report.Staff
	dups  *duplicateAPI
}

// staffReportRoutes registers the caseworker queue; dups scores the duplicate
// suggestions the report view carries.
func (s *Server) staffReportRoutes(g *gin.RouterGroup, dups *duplicateAPI) {
	api := &staffReportAPI{s: s, staff: &report.Staff{Store: s.db, Now: s.now}, dups: dups}
	g.GET("/reports", api.list)
	g.GET("/reports/:id", api.get)
	g.PATCH("/reports/:id", limitBody(s.cfg.BodyLimit), api.change)
	g.POST("/reports/:id/merge", limitBody(s.cfg.BodyLimit), api.merge)
	g.PATCH("/reports/:id/photos/:photo_id", limitBody(s.cfg.BodyLimit), api.moderatePhoto)
}

// staffReportView is the report view: the report, its photos and history, and
// the reports that may be the same thing, scored.
type staffReportView struct {
	report.Detail
	Duplicates duplicateSuggestions `json:"duplicates"`
}

func (api *staffReportAPI) list(c *gin.Context) {
	p, ok := principal(c, auth.ReadReports)
	if !ok {
		return
	}
	q := report.Query{
		Kind: c.Query("kind"), Category: c.Query("category"), Status: c.Query("status"),
		Municipality: c.Query("municipality"), BBox: c.Query("bbox"), From: c.Query("from"), To: c.Query("to"),
		Text: c.Query("text"), Visibility: c.Query("visibility"), Cursor: c.Query("cursor"), Limit: c.Query("limit"),
	}
	page, err := api.staff.List(c.Request.Context(), p.Municipalities, q)
	if err != nil {
		fail(c, err)
		return
	}
	if !api.s.auditReports(c, page.Reports...) {
		return
	}
	// Contact data must not linger in shared caches.
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, page)
}

func (api *staffReportAPI) get(c *gin.Context) {
	p, ok := principal(c, auth.ReadReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	d, err := api.staff.Get(ctx, p.Municipalities, id)
	if err != nil {
		fail(c, err)
		return
	}
	v := staffReportView{Detail: d}
	if v.Duplicates, err = api.dups.suggest(ctx, d.Report, p.Municipalities); err != nil {
		fail(c, err)
		return
	}
	if !api.s.auditReports(c, d.Report) || !api.dups.auditSuggestions(c, id, v.Duplicates.Candidates) {
		return
	}
	c.Header("ETag", reportETag(d.Version))
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, v)
}

// photoModeration is the body of a photo's moderation.
type photoModeration struct {
	Visibility report.Visibility `json:"visibility"`
}

// moderatePhoto publishes, hides or holds back one photo on its own: how a
// confirmation's photo becomes public. If-Match is optional and guards the
// report's version.
func (api *staffReportAPI) moderatePhoto(c *gin.Context) {
	p, ok := principal(c, auth.ManageReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	photoID, ok := parseID(c, "photo_id")
	if !ok {
		return
	}
	version, err := reportIfMatch(c, false)
	if err != nil {
		fail(c, err)
		return
	}
	var m photoModeration
	if err := decodeStrict(c, &m); err != nil {
		fail(c, err)
		return
	}
	if m.Visibility != report.Pending && m.Visibility != report.Published && m.Visibility != report.Hidden {
		fail(c, apperr.Field("visibility", "visibility must be pending, published or hidden"))
		return
	}
	ctx := c.Request.Context()
	err = api.s.db.SetPhotoVisibility(ctx, id, photoID, p.Municipalities, version, m.Visibility, p.Actor())
	if err != nil {
		fail(c, api.staff.Stale(ctx, id, version, err))
		return
	}
	d, err := api.staff.Get(ctx, p.Municipalities, id)
	api.respond(c, d, err)
}

func (api *staffReportAPI) change(c *gin.Context) {
	p, ok := principal(c, auth.ManageReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	version, err := reportIfMatch(c, true)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	ch, err := report.DecodeChange(bytes.NewReader(body))
	if err != nil {
		fail(c, err)
		return
	}
	d, err := api.staff.Change(c.Request.Context(), p.Municipalities, p.Actor(), id, version, ch)
	api.respond(c, d, err)
}

func (api *staffReportAPI) merge(c *gin.Context) {
	p, ok := principal(c, auth.ManageReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	// A merge is a single decision about two reports, so If-Match is optional;
	// when sent it guards the report being marked as the duplicate.
	version, err := reportIfMatch(c, false)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	m, err := report.DecodeMerge(bytes.NewReader(body))
	if err != nil {
		fail(c, err)
		return
	}
	d, err := api.staff.Merge(c.Request.Context(), p.Municipalities, p.Actor(), id, version, m)
	api.respond(c, d, err)
}

func (api *staffReportAPI) respond(c *gin.Context, d report.Detail, err error) {
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

// reportETag is a report version as a strong entity tag.
func reportETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// reportIfMatch reads the report version from If-Match; 0 when it is absent and not
// required.
func reportIfMatch(c *gin.Context, required bool) (int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		if required {
			return 0, apperr.Errorf(apperr.PreconditionRequired,
				`header If-Match is required: send the ETag of the report as you read it (e.g. If-Match: "3"), so changes made meanwhile are not overwritten`)
		}
		return 0, nil
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(h, `"`), `"`))
	if err != nil || v < 1 || !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) {
		return 0, apperr.Field("If-Match", `If-Match must be one ETag as GET returned it, e.g. "3"`)
	}
	return v, nil
}
