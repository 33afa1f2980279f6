package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
	"github.com/trygg/trygg/internal/report"
	"github.com/trygg/trygg/internal/walk"
)

// observe records an observation and files it as a report with source=walk,
// validated by the report domain like any resident's report.
func (a *walkAPI) observe(c *gin.Context) {
	r, p, ok := a.walkOf(c)
	if !ok {
		return
	}
	var n walk.NewObservation
	if err := decodeStrict(c, &n); err != nil {
		fail(c, err)
		return
	}
	if err := n.Validate(); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cats, err := a.s.reports.Store.Categories(ctx)
	if err != nil {
		fail(c, err)
		return
	}
	catMap := make(map[string]category.Category, len(cats))
	for _, k := range cats {
		catMap[k.Code] = k
	}
	cat, known := catMap[n.Category]
	if !known {
		fail(c, apperr.Field("category", "unknown category %q; GET /v1/categories lists them", n.Category))
		return
	}
	rn := report.New{
		Kind: cat.Kind, Category: n.Category, ObservedAt: n.ObservedAt, Description: n.Note,
		Location: &report.Location{Lat: n.Point.Lat, Lon: n.Point.Lon},
		Source:   report.SourceWalk, Visibility: report.Pending,
	}
	if err := rn.Validate(a.s.now(), catMap); err != nil {
		fail(c, err)
		return
	}
	if rn.Kind == report.KindOtrygghet {
		f := n.Rating.Feeling()
		rn.Feeling, rn.TimeOfDay = &f, walk.TimeOfDay(*rn.ObservedAt)
	}
	o := walk.Observation{
		ID: uuid.New(), WalkID: r.ID, StopSeq: n.StopSeq, Point: n.Point, Rating: n.Rating,
		Category: n.Category, Factors: n.Factors, Note: n.Note, ObservedAt: *rn.ObservedAt, CreatedBy: p.Actor(),
	}
	for attempt := 0; ; attempt++ {
		d, err := walkDraft(rn)
		if err == nil {
			err = a.s.db.AddObservation(ctx, &o, d, p.Actor())
		}
		if errors.Is(err, report.ErrReferenceTaken) && attempt < 5 {
			continue
		}
		if err != nil {
			fail(c, err)
			return
		}
		break
	}
	c.JSON(http.StatusCreated, o)
}

// observationPhoto attaches a photo taken on the walk to an observation: it is
// stored on the observation's report (source=walk) through the same cleaning
// as a resident's photo (EXIF stripped, turned upright, size limits) and the
// same limit of photos per report. It is public once that report is published.
func (a *walkAPI) observationPhoto(c *gin.Context) {
	r, p, ok := a.walkOf(c)
	if !ok {
		return
	}
	oid, ok := parseID(c, "oid")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	reportID, err := a.s.db.ObservationReport(ctx, r.ID, oid)
	if err != nil {
		fail(c, err)
		return
	}
	part, err := photoPart(c.Request)
	if err != nil {
		fail(c, err)
		return
	}
	clean := a.s.photoOptions()
	ph, err := clean.Process(part)
	if err != nil {
		fail(c, photoError(err, clean.MaxBytes))
		return
	}
	ref, created, err := a.s.db.AddStaffPhoto(ctx, reportID, p.Actor(), ph, report.MaxPhotos)
	if err != nil {
		fail(c, err)
		return
	}
	photoStored(c, reportID, ref, created)
}

// walkDraft gives a walk's report its identifiers. The follow-up token is
// minted as for any report but never shown: the walk is how staff follow it.
func walkDraft(n report.New) (report.Draft, error) {
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return report.Draft{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(tok)
	return report.Draft{New: n, ID: uuid.New(), Reference: report.NewReference(),
		FollowUpToken: token, FollowUpHash: report.HashToken(token), Status: report.Received}, nil
}

func (a *walkAPI) addMeasure(c *gin.Context) {
	r, _, ok := a.walkOf(c)
	if !ok {
		return
	}
	var n walk.NewMeasure
	if err := decodeStrict(c, &n); err != nil {
		fail(c, err)
		return
	}
	if err := n.Validate(); err != nil {
		fail(c, err)
		return
	}
	m := walk.Measure{
		ID: uuid.New(), WalkID: r.ID, ObservationID: n.ObservationID, What: n.What, Horizon: n.Horizon,
		Owner: n.Owner, DueDate: n.DueDate, Status: walk.MeasureOpen, Point: n.Point, FelanmalanID: n.FelanmalanID,
	}
	if err := a.s.db.AddMeasure(c.Request.Context(), &m); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, m)
}

func (a *walkAPI) patchMeasure(c *gin.Context) {
	r, p, ok := a.walkOf(c)
	if !ok {
		return
	}
	mid, ok := parseID(c, "mid")
	if !ok {
		return
	}
	var patch walk.MeasurePatch
	if err := decodeStrict(c, &patch); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if w := patch.CheckedAtWalk; w != nil {
		// The later walk must be one the caller may see, in the same municipality.
		later, err := a.s.db.Walk(ctx, *w)
		if err != nil || later.Municipality != r.Municipality || !p.Covers(later.Municipality) {
			fail(c, apperr.Field("checked_at_walk", "checked_at_walk must be a walk in the same municipality"))
			return
		}
	}
	m, err := a.s.db.UpdateMeasure(ctx, r.ID, mid, func(m *walk.Measure) error { return patch.Apply(m) })
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
