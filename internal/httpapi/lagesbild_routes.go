package httpapi

import "github.com/gin-gonic/gin"

// importLimit caps an area or events file (the 65 dense Uppsala districts are 1.7 MB).
const importLimit = 32 << 20

// lagesbildRoutes registers areas, events, the lägesbild and its snapshots, and
// medborgarlöften (issue 7).
func (s *Server) lagesbildRoutes(r *gin.Engine) {
	staff := r.Group("/v1/staff", s.authenticate, s.validate)
	staff.GET("/areas", s.listAreas)
	staff.POST("/areas", s.createArea)
	staff.GET("/areas/:id", s.getArea)
	staff.PATCH("/areas/:id", s.updateArea)
	staff.DELETE("/areas/:id", s.deleteArea)
	staff.GET("/promises", s.listPromises)
	staff.POST("/promises", s.createPromise)
	staff.GET("/promises/:id", s.getPromise)
	staff.PATCH("/promises/:id", s.patchPromise)
	staff.DELETE("/promises/:id", s.deletePromise)
	staff.POST("/promises/:id/commitments", s.addCommitment)
	staff.PATCH("/promises/:id/commitments/:commitment_id", s.patchCommitment)
	staff.DELETE("/promises/:id/commitments/:commitment_id", s.deleteCommitment)
	staff.GET("/promises/:id/activities", s.listActivities)
	staff.POST("/promises/:id/activities", s.logActivity)

	lb := r.Group("/v1/lagesbild", s.authenticate, s.validate)
	lb.GET("", s.getLagesbild)
	lb.POST("/snapshots", s.createSnapshot)
	lb.GET("/snapshots", s.listSnapshots)
	lb.GET("/snapshots/:id", s.getSnapshot)
	lb.GET("/snapshots/:id/content", s.getSnapshotContent)

	// Import files are larger than the validator's body limit; their own parsers
	// check them instead.
	imports := r.Group("/v1/staff", s.authenticate, limitBody(importLimit))
	imports.POST("/areas/import", s.importAreas)
	imports.POST("/events", s.importEvents)
	imports.POST("/surveys", s.importSurveys)

	public := r.Group("/v1/public", s.validate)
	public.GET("/areas", s.publicAreas)
	public.GET("/promises", s.publicPromises)
	public.GET("/lagesbild", s.publicLagesbild)
	r.GET("/v1/promises/:id/progress", s.validate, s.promiseProgress)
}
