package httpapi

import (
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/photo"
	"github.com/trygg/trygg/internal/privacy"
	"github.com/trygg/trygg/internal/report"
)

// multipartOverhead is what the upload route allows beyond the photo itself:
// boundaries, part headers and a few small extra fields.
const multipartOverhead = 64 << 10

// photoAPI serves resident photo uploads and their reading back.
type photoAPI struct {
	s     *Server
	clean photo.Options
}

// photoRoutes registers the photo routes on the public /v1 group. The upload has
// its own body limit: a photo is far larger than a JSON report.
func (s *Server) photoRoutes(v1 *gin.RouterGroup) {
	pa := &photoAPI{s: s, clean: s.photoOptions()}
	v1.POST("/reports/:id/photos", limitBody(s.cfg.PhotoLimit+multipartOverhead), s.limitWrites, pa.upload)
	v1.GET("/reports/:id/photos/:photo_id", pa.get)
}

// photoOptions is how every uploaded photo is cleaned: the report's own, a
// confirmation's and a walk observation's.
func (s *Server) photoOptions() photo.Options {
	return photo.Options{MaxBytes: s.cfg.PhotoLimit, MaxPixels: s.cfg.PhotoMaxPixels, MaxEdge: photo.DefaultMaxEdge}
}

func photoURL(reportID, photoID string) string {
	return "/v1/reports/" + reportID + "/photos/" + photoID
}

// upload takes one photo (multipart field "photo") for the holder of the
// report's follow-up token. The token is checked before the upload is read, so
// a wrong token costs no image decoding.
func (pa *photoAPI) upload(c *gin.Context) {
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	token := c.GetHeader("X-Follow-Up-Token")
	if token == "" {
		fail(c, apperr.Errorf(apperr.Unauthorized, "the follow-up token from the report's receipt is required (header X-Follow-Up-Token)"))
		return
	}
	ctx := c.Request.Context()
	// The count of photos is left to AddPhoto: a retry of a report's fifth
	// photo must still get its stored copy back, not a conflict.
	if err := pa.s.db.CheckFollowUpToken(ctx, id, report.HashToken(token)); err != nil {
		fail(c, err)
		return
	}
	part, err := photoPart(c.Request)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := pa.clean.Process(part)
	if err != nil {
		fail(c, photoError(err, pa.clean.MaxBytes))
		return
	}
	ref, created, err := pa.s.db.AddPhoto(ctx, id, report.HashToken(token), p, report.MaxPhotos)
	if err != nil {
		fail(c, err)
		return
	}
	photoStored(c, id, ref, created)
}

// photoStored answers an upload: 201 with the photo's URL in Location, or 200
// when the same upload was already stored.
func photoStored(c *gin.Context, reportID uuid.UUID, ref report.PhotoRef, created bool) {
	ref.URL = photoURL(reportID.String(), ref.ID.String())
	c.Header("Location", ref.URL)
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, ref)
}

// photoPart finds the "photo" field of a multipart/form-data body and returns it
// unread, so the image streams into the cleaner without a temporary file.
func photoPart(r *http.Request) (*multipart.Part, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, apperr.Errorf(apperr.Unsupported, "send the photo as multipart/form-data with the image in the field \"photo\"")
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, apperr.Field("photo", "the multipart body has no field \"photo\"; put the image file there")
		}
		if err != nil {
			return nil, bodyError(err)
		}
		if part.FormName() == "photo" {
			return part, nil
		}
	}
}

// photoError maps the cleaner's verdict to the error a phone app can act on.
func photoError(err error, maxBytes int64) error {
	switch {
	case errors.Is(err, photo.ErrTooLarge):
		return &apperr.Error{Kind: apperr.TooLarge, Message: "the photo is too large: at most " + humanBytes(maxBytes) +
			" and a sane pixel count; scale it down on the phone first", Details: map[string]any{"field": "photo", "max_bytes": maxBytes}, Err: err}
	case errors.Is(err, photo.ErrNotImage):
		return &apperr.Error{Kind: apperr.Unsupported, Message: "the photo is not a JPEG or PNG image (checked from its bytes, not its name)",
			Details: map[string]string{"field": "photo"}, Err: err}
	}
	return bodyError(err)
}

// bodyError reports a body cut off by the route's limit as 413 and any other
// read failure as a malformed request.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.Errorf(apperr.TooLarge, "request body is larger than %d bytes", tooBig.Limit)
	}
	return &apperr.Error{Kind: apperr.Invalid, Message: "the multipart body could not be read: " + err.Error(), Err: err}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// get serves a photo to staff whose token may read the report (and to
// planners, the photos of walk observations), and to anyone once the report
// is published and the photo, when moderated on its own (a confirmation's),
// too. Everything else is 404, so the existence of an unpublished photo does
// not leak.
func (pa *photoAPI) get(c *gin.Context) {
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	photoID, ok := parseID(c, "photo_id")
	if !ok {
		return
	}
	p, staff, err := pa.s.optionalPrincipal(c)
	if err != nil {
		fail(c, err)
		return
	}
	sp, err := pa.s.db.Photo(c.Request.Context(), id, photoID)
	if err != nil {
		fail(c, err)
		return
	}
	published := sp.Public()
	mayStaff := staff && p.Covers(sp.Municipality) &&
		(p.Require(auth.ReadReports) == nil || (sp.Source == report.SourceWalk && p.Require(auth.PlanWalks) == nil))
	if !published && !mayStaff {
		fail(c, apperr.Errorf(apperr.NotFound, "no such photo"))
		return
	}
	etag := `"` + hex.EncodeToString(sp.SHA256) + `"`
	c.Header("ETag", etag)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Vary", "Authorization")
	if published {
		// Short: a report may be hidden again, and shared caches should notice.
		c.Header("Cache-Control", "public, max-age=300")
	} else {
		c.Header("Cache-Control", "private, no-cache")
	}
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	// Staff looking at a photo the public may not see is a read of personal
	// data (a face, a number plate, a front door): on record before the bytes
	// go out. A 304 sends nothing new.
	if !published {
		c.Request = c.Request.WithContext(auth.WithPrincipal(c.Request.Context(), p))
		if !pa.s.audit(c, privacy.ActionPhotoRead, []privacy.Entry{{Municipality: sp.Municipality, ReportID: &id,
			Detail: map[string]any{"photo": photoID}}}) {
			return
		}
	}
	c.Data(http.StatusOK, sp.ContentType, sp.Bytes)
}

// etagMatches implements If-None-Match's list and "*" (RFC 9110 §13.1.2), with
// weak comparison.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// optionalPrincipal authenticates the caller when an Authorization header is
// present, for public routes that show staff more. A header that is present
// but wrong is an error rather than a silent downgrade to the public view.
func (s *Server) optionalPrincipal(c *gin.Context) (auth.Principal, bool, error) {
	h := c.GetHeader("Authorization")
	if h == "" {
		return auth.Principal{}, false, nil
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		c.Header("WWW-Authenticate", `Bearer realm="trygg"`)
		return auth.Principal{}, false, apperr.Errorf(apperr.Unauthorized, "Authorization must be a staff bearer token (Bearer trg_...), or left out for the public view")
	}
	p, err := s.db.PrincipalByTokenHash(c.Request.Context(), auth.HashToken(strings.TrimSpace(token)))
	if err != nil {
		c.Header("WWW-Authenticate", `Bearer realm="trygg", error="invalid_token"`)
		return p, false, err
	}
	return p, true, nil
}
