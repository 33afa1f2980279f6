package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/delivery"
)

// deliveryRoutes shows caseworkers how a forwarded felanmälan's hand-over to the
// maintenance system went: attempts, last error, next attempt, delivered at.
func (s *Server) deliveryRoutes(g *gin.RouterGroup) {
	g.GET("/reports/:id/deliveries", s.reportDeliveries)
}

func (s *Server) reportDeliveries(c *gin.Context) {
	p, ok := principal(c, auth.ReadReports)
	if !ok {
		return
	}
	id, ok := parseID(c, "id")
	if !ok {
		return
	}
	ds, err := s.db.ReportDeliveries(c.Request.Context(), id, p.Municipalities)
	if err != nil {
		fail(c, err)
		return
	}
	if ds == nil {
		ds = []delivery.Delivery{}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"deliveries": ds})
}
