package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/lagesbild"
	"github.com/trygg/trygg/internal/promise"
)

func (s *Server) listPromises(c *gin.Context) {
	p, ok := principal(c, auth.ReadAnalytics)
	if !ok {
		return
	}
	munis, ok := municipalitiesParam(c, p)
	if !ok {
		return
	}
	ps, err := s.db.Promises(c.Request.Context(), munis)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"promises": ps})
}

func (s *Server) createPromise(c *gin.Context) {
	p, ok := principal(c, auth.ManagePromises)
	if !ok {
		return
	}
	var in promise.Promise
	if err := c.ShouldBindJSON(&in); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		return
	}
	if err := p.RequireMunicipality(in.Municipality); err != nil {
		fail(c, err)
		return
	}
	if err := in.Validate(); err != nil {
		fail(c, err)
		return
	}
	if err := s.checkPromiseAreas(c.Request.Context(), in); err != nil {
		fail(c, err)
		return
	}
	in.ID = uuid.Nil
	out, err := s.db.CreatePromise(c.Request.Context(), in)
	if err != nil {
		fail(c, err)
		return
	}
	writePromise(c, http.StatusCreated, out)
}

// scopedPromise loads a promise the caller's token covers; others are 404.
func (s *Server) scopedPromise(c *gin.Context, perm auth.Permission) (promise.Promise, bool) {
	p, ok := principal(c, perm)
	if !ok {
		return promise.Promise{}, false
	}
	pr, ok := s.promiseByParam(c)
	if ok && !p.Covers(pr.Municipality) {
		fail(c, apperr.Errorf(apperr.NotFound, "no promise %s", pr.ID))
		return pr, false
	}
	return pr, ok
}

func (s *Server) promiseByParam(c *gin.Context) (promise.Promise, bool) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		fail(c, apperr.Field("id", "not a uuid"))
		return promise.Promise{}, false
	}
	pr, err := s.db.Promise(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return pr, false
	}
	return pr, true
}

func (s *Server) getPromise(c *gin.Context) {
	if pr, ok := s.scopedPromise(c, auth.ReadAnalytics); ok {
		writePromise(c, http.StatusOK, pr)
	}
}

func (s *Server) deletePromise(c *gin.Context) {
	pr, ok := s.scopedPromise(c, auth.ManagePromises)
	if !ok {
		return
	}
	if err := s.db.DeletePromise(c.Request.Context(), pr.ID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) logActivity(c *gin.Context) {
	pr, ok := s.scopedPromise(c, auth.ManagePromises)
	if !ok {
		return
	}
	var a promise.Activity
	if err := c.ShouldBindJSON(&a); err != nil {
		fail(c, apperr.Errorf(apperr.Invalid, "body: %v", err))
		return
	}
	found := false
	for _, cm := range pr.Commitments {
		found = found || cm.ID == a.CommitmentID
	}
	if !found {
		fail(c, apperr.Field("commitment_id", "the promise has no commitment %s", a.CommitmentID))
		return
	}
	if a.Type == "" || a.OccurredOn.IsZero() {
		fail(c, apperr.Field("type", "an activity needs a type and occurred_on"))
		return
	}
	if err := s.checkActivityPlace(c.Request.Context(), pr.Municipality, a); err != nil {
		fail(c, err)
		return
	}
	a.ID = uuid.Nil
	out, err := s.db.LogActivity(c.Request.Context(), a)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listActivities(c *gin.Context) {
	pr, ok := s.scopedPromise(c, auth.ReadAnalytics)
	if !ok {
		return
	}
	as, err := s.db.Activities(c.Request.Context(), pr.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"activities": as})
}

// progress evaluates a promise now.
func (s *Server) progress(c *gin.Context, pr promise.Promise) (promise.Progress, error) {
	as, err := s.db.Activities(c.Request.Context(), pr.ID)
	if err != nil {
		return promise.Progress{}, err
	}
	per := map[uuid.UUID]int{}
	for _, a := range as {
		per[a.CommitmentID]++
	}
	return promise.Evaluate(c.Request.Context(), s.db, pr, per, s.now())
}

// promiseProgress is public: commitments, who is responsible and how far each
// has come carry no personal data; small report and event counts are hidden.
func (s *Server) promiseProgress(c *gin.Context) {
	pr, ok := s.promiseByParam(c)
	if !ok {
		return
	}
	out, err := s.progress(c, pr)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, promise.Public(out, lagesbild.MinPublicCount))
}

// publicPromises is what kommun and polis publish: every promise of the
// municipality with its progress. Signatories' names and who logged an activity
// are left out.
func (s *Server) publicPromises(c *gin.Context) {
	muni := c.Query("municipality")
	if len(muni) != 4 || strings.Trim(muni, "0123456789") != "" {
		fail(c, apperr.Field("municipality", "municipality must be a four-digit kommunkod"))
		return
	}
	ps, err := s.db.Promises(c.Request.Context(), []string{muni})
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]promise.Progress, 0, len(ps))
	for _, pr := range ps {
		p, err := s.progress(c, pr)
		if err != nil {
			fail(c, err)
			return
		}
		out = append(out, promise.Public(p, lagesbild.MinPublicCount))
	}
	c.JSON(http.StatusOK, gin.H{"municipality": c.Query("municipality"), "promises": out})
}

// promiseSummary is the lägesbild's promises section: the progress of every
// promise valid in some part of the period.
func (s *Server) promiseSummary(c *gin.Context, r lagesbild.Request) ([]promise.Progress, error) {
	ps, err := s.db.Promises(c.Request.Context(), []string{r.Municipality})
	if err != nil {
		return nil, err
	}
	out := []promise.Progress{}
	for _, pr := range ps {
		if pr.ValidFrom.After(r.Period.To) || pr.ValidTo.AddDate(0, 0, 1).Before(r.Period.From) {
			continue
		}
		p, err := s.progress(c, pr)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// checkPromiseAreas refuses priority areas and indicator areas that are not
// areas of the promise's municipality: counting another municipality's area
// would be empty at best, and its existence is not the caller's to probe.
func (s *Server) checkPromiseAreas(ctx context.Context, p promise.Promise) error {
	for i, cm := range p.Commitments {
		for _, id := range cm.PriorityAreas {
			if err := s.areaOf(ctx, p.Municipality, id, "priority_areas"); err != nil {
				return inCommitment(err, "commitment %d", i+1)
			}
		}
		for j, ind := range cm.Indicators {
			if ind.Params.Area == nil {
				continue
			}
			if err := s.areaOf(ctx, p.Municipality, *ind.Params.Area, "area"); err != nil {
				return inCommitment(err, "commitment %d, indicator %d", i+1, j+1)
			}
		}
	}
	return nil
}

// checkActivityPlace refuses an activity placed in another municipality's
// area or linked to another municipality's walk.
func (s *Server) checkActivityPlace(ctx context.Context, muni string, a promise.Activity) error {
	if a.Area != nil {
		if err := s.areaOf(ctx, muni, *a.Area, "area"); err != nil {
			return err
		}
	}
	if a.Walk != nil {
		w, err := s.db.Walk(ctx, *a.Walk)
		if err != nil && apperr.KindOf(err) != apperr.NotFound {
			return err
		}
		if err != nil || w.Municipality != muni {
			return apperr.Field("walk", "walk %s is not a walk in municipality %s", *a.Walk, muni)
		}
	}
	return nil
}

func (s *Server) areaOf(ctx context.Context, muni string, id uuid.UUID, field string) error {
	a, err := s.db.Area(ctx, id)
	if err != nil && apperr.KindOf(err) != apperr.NotFound {
		return err
	}
	if err != nil || a.Municipality != muni {
		return apperr.Field(field, "%s is not an area of municipality %s", id, muni)
	}
	return nil
}

// inCommitment says which commitment a client error is about.
func inCommitment(err error, format string, args ...any) error {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		return err
	}
	return apperr.Field("commitments", "%s: %s", fmt.Sprintf(format, args...), e.Message)
}
