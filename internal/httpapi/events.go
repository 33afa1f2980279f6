package httpapi

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/lagesbild"
)

// importEventsPerm is who may add events from other sources.
var importEventsPerm = auth.Permission{auth.Analyst, auth.Police, auth.Admin}

// importEvents reads the police events JSON (format=police, the default) or a
// partner CSV (format=csv&source=NAME). A token scoped to some municipalities
// stores only their events; an admin token stores all, county-level ones too.
func (s *Server) importEvents(c *gin.Context) {
	p, ok := principal(c, importEventsPerm)
	if !ok {
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	var evs []lagesbild.Event
	switch c.DefaultQuery("format", "police") {
	case "police":
		evs, err = lagesbild.ParsePoliceEvents(bytes.NewReader(body))
	case "csv":
		src := c.Query("source")
		if src == "" || src == "polisen" {
			fail(c, apperr.Field("source", "a CSV import needs source=NAME (not polisen)"))
			return
		}
		evs, err = lagesbild.ParseEventsCSV(bytes.NewReader(body), src)
	default:
		err = apperr.Field("format", "format must be police or csv")
	}
	if err != nil {
		fail(c, err)
		return
	}
	var scope []string
	if p.Role != auth.Admin {
		scope = slices.Clone(p.Municipalities)
	}
	added, skipped, err := s.db.ImportEvents(c.Request.Context(), evs, scope)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"read": len(evs), "added": added, "not_added": skipped})
}
