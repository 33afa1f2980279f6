package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/apperr"
)

// language picks "en" when the client prefers English, Swedish otherwise.
func language(c *gin.Context) string {
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "sv"):
			return "sv"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "sv"
}

type categoryJSON struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	Parent      string `json:"parent,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Reportable  bool   `json:"reportable"`
	Sensitivity string `json:"sensitivity"`
}

func (s *Server) listCategories(c *gin.Context) {
	kind := c.Query("kind")
	cats, err := s.db.Categories(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	lang := language(c)
	out := []categoryJSON{}
	for _, cat := range cats {
		if !cat.Active || (kind != "" && cat.Kind != kind) {
			continue
		}
		out = append(out, categoryJSON{Code: cat.Code, Kind: cat.Kind, Parent: cat.Parent, Name: cat.Name(lang),
			Description: cat.Description(lang), Reportable: cat.Reportable(), Sensitivity: string(cat.Sensitivity)})
	}
	c.Header("Content-Language", lang)
	c.Header("Vary", "Accept-Language")
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, gin.H{"categories": out})
}

func (s *Server) locate(c *gin.Context) {
	lat, err1 := strconv.ParseFloat(c.Query("lat"), 64)
	lon, err2 := strconv.ParseFloat(c.Query("lon"), 64)
	if err1 != nil || err2 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 || lat != lat || lon != lon {
		fail(c, apperr.Errorf(apperr.Invalid, "lat and lon must be numbers within [-90,90] and [-180,180]"))
		return
	}
	m, err := s.db.Locate(c.Request.Context(), lat, lon)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, m)
}
