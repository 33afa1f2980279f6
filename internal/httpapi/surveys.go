package httpapi

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/promise"
)

// importSurveys takes trygghetsmätning results as CSV for one municipality.
func (s *Server) importSurveys(c *gin.Context) {
	p, ok := principal(c, auth.ManagePromises)
	if !ok {
		return
	}
	muni := c.Query("municipality")
	if err := p.RequireMunicipality(muni); err != nil {
		fail(c, err)
		return
	}
	body, err := readBody(c)
	if err != nil {
		fail(c, err)
		return
	}
	rs, err := promise.ParseSurveysCSV(bytes.NewReader(body))
	if err != nil {
		fail(c, err)
		return
	}
	n, err := s.db.ImportSurveys(c.Request.Context(), muni, rs)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"stored": n})
}
