package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

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
// and 200, and is not counted again.
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
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b confirmationBody
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil {
			fail(c, apperr.Field("feeling", "the body may only be {\"feeling\": 1..5}: %v", err))
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			fail(c, apperr.Errorf(apperr.Invalid, "request body must hold exactly one JSON object"))
			return
		}
	}
	dev, err := api.s.deviceHash(c)
	if err != nil {
		fail(c, err)
		return
	}
	n := report.NewConfirmation{ReportID: id, DeviceHash: dev.Current, DevicePrevious: dev.Previous,
		DeviceKeyPeriod: dev.Period, Feeling: b.Feeling}
	if err := n.Validate(); err != nil {
		fail(c, err)
		return
	}
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
