package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/promise"
)

// A promise is edited as one thing: its version (the ETag of GET, POST and
// every write) covers its commitments and indicators too, and every write
// below needs If-Match with it. A stale ETag is 412 and changes nothing.

// promiseETag is a promise version as a strong entity tag.
func promiseETag(version int) string { return `"` + strconv.Itoa(version) + `"` }

// promiseIfMatch reads the required If-Match of a promise write.
func promiseIfMatch(c *gin.Context) (int, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		return 0, apperr.Errorf(apperr.PreconditionRequired,
			`header If-Match is required: send the ETag of the promise as you read it (e.g. If-Match: "3"), so changes made meanwhile are not overwritten`)
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(h, `"`), `"`))
	if err != nil || v < 1 || !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) {
		return 0, apperr.Field("If-Match", `If-Match must be one ETag as GET returned it, e.g. "3"`)
	}
	return v, nil
}

// patchFields reads a JSON object whose keys must all be in allowed; refused
// names a reason for keys that may never be patched here.
func patchFields(c *gin.Context, allowed []string, refused map[string]string) (map[string]json.RawMessage, error) {
	var body bytes.Buffer
	if _, err := body.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)); err != nil {
		return nil, apperr.Errorf(apperr.Invalid, "body: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body.Bytes(), &m); err != nil || m == nil {
		return nil, apperr.Errorf(apperr.Invalid, "body must be a JSON object of the fields to change")
	}
	if len(m) == 0 {
		return nil, apperr.Errorf(apperr.Invalid, "body names no field to change")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if why, ok := refused[k]; ok {
			return nil, apperr.Field(k, "%s", why)
		}
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			return nil, apperr.Field(k, "unknown field %q; fields that can be changed: %s", k, strings.Join(allowed, ", "))
		}
	}
	return m, nil
}

// setField decodes one patched value; null is refused unless nullable.
func setField(m map[string]json.RawMessage, key string, dst any, nullable bool) error {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	if string(bytes.TrimSpace(raw)) == "null" && !nullable {
		return apperr.Field(key, "%s cannot be null", key)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		if ae, ok := err.(*apperr.Error); ok {
			return apperr.Field(key, "%s: %s", key, ae.Message)
		}
		return apperr.Field(key, "%s has the wrong type: %v", key, err)
	}
	return nil
}

// writePromise answers with the promise and its new ETag.
func writePromise(c *gin.Context, status int, pr promise.Promise) {
	c.Header("ETag", promiseETag(pr.Version))
	c.Header("Cache-Control", "no-store")
	c.JSON(status, pr)
}

// updatePromise runs one optimistic write on the promise in the path.
func (s *Server) updatePromise(c *gin.Context, status int, change func(*promise.Promise) error) {
	pr, ok := s.scopedPromise(c, auth.ManagePromises)
	if !ok {
		return
	}
	version, err := promiseIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	out, err := s.db.UpdatePromise(ctx, pr.ID, version, func(p *promise.Promise) error {
		if err := change(p); err != nil {
			return err
		}
		return s.checkPromiseAreas(ctx, *p)
	})
	if err != nil {
		fail(c, err)
		return
	}
	if status == http.StatusNoContent {
		c.Header("ETag", promiseETag(out.Version))
		c.Status(status)
		return
	}
	writePromise(c, status, out)
}

// patchPromise is PATCH /v1/staff/promises/{id}: a JSON merge of the
// promise's own fields. Commitments have their own routes; the municipality
// cannot change.
func (s *Server) patchPromise(c *gin.Context) {
	m, err := patchFields(c,
		[]string{"title", "partners", "signatories", "signed_on", "valid_from", "valid_to", "problem_picture", "follow_up"},
		map[string]string{
			"municipality": "a promise cannot move to another municipality; make a new one",
			"id":           "the id cannot change", "version": "the version is set by the server; send it as If-Match",
			"commitments": "change commitments with POST, PATCH and DELETE on /v1/staff/promises/{id}/commitments",
		})
	if err != nil {
		if _, ok := s.scopedPromise(c, auth.ManagePromises); ok { // scope and role before the body's faults
			fail(c, err)
		}
		return
	}
	s.updatePromise(c, http.StatusOK, func(p *promise.Promise) error {
		for _, f := range []struct {
			key      string
			dst      any
			nullable bool
		}{
			{"title", &p.Title, false}, {"partners", &p.Partners, false}, {"signatories", &p.Signatories, false},
			{"valid_from", &p.ValidFrom, false}, {"valid_to", &p.ValidTo, false},
			{"problem_picture", &p.ProblemPicture, false}, {"follow_up", &p.FollowUp, false},
		} {
			if err := setField(m, f.key, f.dst, f.nullable); err != nil {
				return err
			}
		}
		if raw, ok := m["signed_on"]; ok {
			if string(bytes.TrimSpace(raw)) == "null" {
				p.SignedOn = nil
			} else {
				var d promise.Date
				if err := setField(m, "signed_on", &d, false); err != nil {
					return err
				}
				p.SignedOn = &d
			}
		}
		return nil
	})
}

// commitmentFields are what a commitment's PATCH may change; indicators are
// replaced as a whole list.
var commitmentFields = []string{"text", "responsible", "responsible_other", "priority_areas", "indicators"}

// addCommitment is POST /v1/staff/promises/{id}/commitments: appends one
// commitment; the answer is the whole promise with its new ETag.
func (s *Server) addCommitment(c *gin.Context) {
	var cm promise.Commitment
	if err := c.ShouldBindJSON(&cm); err != nil {
		if _, ok := s.scopedPromise(c, auth.ManagePromises); ok {
			fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		}
		return
	}
	cm.ID = uuid.Nil
	for i := range cm.Indicators {
		cm.Indicators[i].ID = uuid.Nil
	}
	s.updatePromise(c, http.StatusCreated, func(p *promise.Promise) error {
		p.Commitments = append(p.Commitments, cm)
		return nil
	})
}

func commitmentIndex(p *promise.Promise, raw string) (int, error) {
	id, err := uuid.Parse(raw)
	if err != nil {
		return 0, apperr.Field("commitment_id", "not a uuid")
	}
	for i, cm := range p.Commitments {
		if cm.ID == id {
			return i, nil
		}
	}
	return 0, apperr.Errorf(apperr.NotFound, "the promise has no commitment %s", id)
}

// patchCommitment is PATCH /v1/staff/promises/{id}/commitments/{commitment_id}.
func (s *Server) patchCommitment(c *gin.Context) {
	m, err := patchFields(c, commitmentFields, map[string]string{"id": "the id cannot change"})
	if err != nil {
		if _, ok := s.scopedPromise(c, auth.ManagePromises); ok {
			fail(c, err)
		}
		return
	}
	s.updatePromise(c, http.StatusOK, func(p *promise.Promise) error {
		i, err := commitmentIndex(p, c.Param("commitment_id"))
		if err != nil {
			return err
		}
		cm := &p.Commitments[i]
		for _, f := range []struct {
			key string
			dst any
		}{
			{"text", &cm.Text}, {"responsible", &cm.Responsible}, {"responsible_other", &cm.ResponsibleOther},
			{"priority_areas", &cm.PriorityAreas},
		} {
			if err := setField(m, f.key, f.dst, false); err != nil {
				return err
			}
		}
		if _, ok := m["indicators"]; ok {
			var inds []promise.Indicator
			if err := setField(m, "indicators", &inds, false); err != nil {
				return err
			}
			cm.Indicators = inds
		}
		return nil
	})
}

// deleteCommitment is DELETE /v1/staff/promises/{id}/commitments/{commitment_id}:
// the commitment goes with its indicators and logged activities. The last
// commitment cannot go (a promise needs one; delete the promise instead).
func (s *Server) deleteCommitment(c *gin.Context) {
	s.updatePromise(c, http.StatusNoContent, func(p *promise.Promise) error {
		i, err := commitmentIndex(p, c.Param("commitment_id"))
		if err != nil {
			return err
		}
		if len(p.Commitments) == 1 {
			return apperr.Errorf(apperr.Conflict, "this is the promise's only commitment; a promise needs at least one (delete the promise instead)")
		}
		p.Commitments = append(p.Commitments[:i], p.Commitments[i+1:]...)
		return nil
	})
}
