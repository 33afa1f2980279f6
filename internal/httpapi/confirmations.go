package httpapi

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/report"
)

// confirmationBody is the optional JSON body of a confirmation.
type confirmationBody struct {
	Feeling *int `json:"feeling"`
}

// confirm records "I see this too". The first confirmation of a device is 201;
// any later one, under whatever Idempotency-Key, is answered with the first
// and 200, and is not counted again. The body is empty, JSON {"feeling"}, or
// multipart/form-data with the fields feeling and photo.
func (api *duplicateAPI) confirm(c *gin.Context) {
	key, err := idempotencyKey(c)
	if err != nil {
		fail(c, err)
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	dev, err := api.s.deviceHash(c)
	if err != nil {
		fail(c, err)
		return
	}
	n := report.NewConfirmation{ReportID: id, DeviceHash: dev.Current, DevicePrevious: dev.Previous, DeviceKeyPeriod: dev.Period}
	if isMultipart(c.Request) {
		err = api.confirmationForm(c, &n)
	} else {
		err = confirmationJSON(c, &n)
	}
	if err != nil {
		fail(c, err)
		return
	}
	if err := n.Validate(); err != nil {
		fail(c, err)
		return
	}
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		fail(c, err)
		return
	}
	n.FollowUpToken = base64.RawURLEncoding.EncodeToString(tok)
	n.FollowUpHash = report.HashToken(n.FollowUpToken)
	idem := report.Idempotency{Scope: report.ConfirmationScope, Key: key, RequestHash: n.RequestHash()}
	conf, created, err := api.s.db.ConfirmReport(c.Request.Context(), n, idem)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	if created {
		c.JSON(http.StatusCreated, conf)
		return
	}
	c.JSON(http.StatusOK, conf)
}

func confirmationJSON(c *gin.Context, n *report.NewConfirmation) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var b confirmationBody
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return apperr.Field("feeling", "the body may only be {\"feeling\": 1..5}: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return apperr.Errorf(apperr.Invalid, "request body must hold exactly one JSON object")
	}
	n.Feeling = b.Feeling
	return nil
}

// confirmationForm reads a multipart confirmation: an optional feeling field
// and an optional photo, which goes through the same cleaning as a report's
// photo (EXIF stripped, turned upright, size limits) as it streams in.
func (api *duplicateAPI) confirmationForm(c *gin.Context, n *report.NewConfirmation) error {
	_, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return apperr.Errorf(apperr.Unsupported, "a multipart confirmation needs a boundary")
	}
	mr := multipart.NewReader(c.Request.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return bodyError(err)
		}
		switch part.FormName() {
		case "feeling":
			v, err := io.ReadAll(io.LimitReader(part, 16))
			if err != nil {
				return bodyError(err)
			}
			f, err := strconv.Atoi(strings.TrimSpace(string(v)))
			if err != nil {
				return apperr.Field("feeling", "feeling must be 1 (very unsafe) to 5 (safe)")
			}
			n.Feeling = &f
		case "photo":
			if n.Photo != nil {
				return apperr.Field("photo", "a confirmation carries at most one photo")
			}
			p, err := api.photos.Process(part)
			if err != nil {
				return photoError(err, api.photos.MaxBytes)
			}
			n.Photo = &p
		default:
			return apperr.Field(part.FormName(), "unknown field %q; a confirmation has feeling and photo", part.FormName())
		}
	}
}
