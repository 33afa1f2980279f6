package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/postgres"
)

// createSnapshot freezes the lägesbild of a period for an EST meeting.
func (s *Server) createSnapshot(c *gin.Context) {
	p, ok := principal(c, readLagesbild)
	if !ok {
		return
	}
	var lp lagesbildParams
	if err := c.ShouldBindJSON(&lp); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		return
	}
	if err := p.RequireMunicipality(lp.Municipality); err != nil {
		fail(c, err)
		return
	}
	l, ok := s.buildLagesbild(c, lp, &p)
	if !ok {
		return
	}
	content, err := json.Marshal(l)
	if err != nil {
		fail(c, err)
		return
	}
	params, _ := json.Marshal(lp)
	snap, err := s.db.CreateSnapshot(c.Request.Context(), lp.Municipality, params, content, s.now().UTC(), p.Actor())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", "/v1/lagesbild/snapshots/"+snap.ID.String())
	c.JSON(http.StatusCreated, snap)
}

func (s *Server) listSnapshots(c *gin.Context) {
	p, ok := principal(c, readLagesbild)
	if !ok {
		return
	}
	munis, ok := municipalitiesParam(c, p)
	if !ok {
		return
	}
	list, err := s.db.Snapshots(c.Request.Context(), munis)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"snapshots": list})
}

func (s *Server) getSnapshot(c *gin.Context) {
	if snap, ok := s.scopedSnapshot(c); ok {
		c.JSON(http.StatusOK, snap)
	}
}

// getSnapshotContent serves the frozen content as stored (the JSON answer of
// getSnapshot re-encodes it), so its SHA-256 can be checked against the hash.
func (s *Server) getSnapshotContent(c *gin.Context) {
	if snap, ok := s.scopedSnapshot(c); ok {
		c.Header("ETag", `"`+snap.ContentHash+`"`)
		c.Data(http.StatusOK, "application/json; charset=utf-8", snap.Content)
	}
}

// scopedSnapshot loads the snapshot named in the path; one outside the
// caller's municipalities is not found.
func (s *Server) scopedSnapshot(c *gin.Context) (postgres.Snapshot, bool) {
	p, ok := principal(c, readLagesbild)
	if !ok {
		return postgres.Snapshot{}, false
	}
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, apperr.Field("id", "not a uuid"))
		return postgres.Snapshot{}, false
	}
	snap, err := s.db.Snapshot(c.Request.Context(), id)
	if err == nil && !p.Covers(snap.Municipality) {
		err = apperr.Errorf(apperr.NotFound, "no snapshot %s", id)
	}
	if err != nil {
		fail(c, err)
		return snap, false
	}
	return snap, true
}
