package httpapi

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/auth"
	"github.com/trygg/trygg/internal/lagesbild"
	"github.com/trygg/trygg/internal/privacy"
)

// readLagesbild is who may see the full lägesbild: it is the EST group's working
// material (analysts, kommunpolis, caseworkers), not the walk planners'.
var readLagesbild = auth.Permission{auth.Analyst, auth.Police, auth.Caseworker, auth.Admin}

// lagesbildParams reads municipality, period and area from the query.
type lagesbildParams struct {
	Municipality string `json:"municipality"`
	Period       string `json:"period"`
	Area         string `json:"area,omitempty"`
}

func (lp lagesbildParams) request() (lagesbild.Request, error) {
	p, err := lagesbild.ParsePeriod(lp.Period)
	if err != nil {
		return lagesbild.Request{}, err
	}
	r := lagesbild.Request{Municipality: lp.Municipality, Period: p}
	if lp.Area != "" {
		id, err := uuid.Parse(lp.Area)
		if err != nil {
			return r, apperr.Field("area", "area must be a uuid")
		}
		r.Area = &id
	}
	return r, nil
}

// buildLagesbild counts and assembles one lägesbild. For staff (p not nil)
// the Gi* hotspots run beside the counting, on their own connection; the
// public variant has no hotspots and no promises' details, so neither is
// computed for it.
func (s *Server) buildLagesbild(c *gin.Context, lp lagesbildParams, p *auth.Principal) (lagesbild.Lagesbild, bool) {
	r, err := lp.request()
	if err != nil {
		fail(c, err)
		return lagesbild.Lagesbild{}, false
	}
	r.Now = s.now()
	ctx := c.Request.Context()
	type hotspots struct {
		h   *lagesbild.Hotspots
		err error
	}
	hs := make(chan hotspots, 1)
	if p != nil {
		go func() {
			h, err := s.lagesbildHotspots(ctx, *p, r)
			hs <- hotspots{h, err}
		}()
	} else {
		hs <- hotspots{}
	}
	src, err := s.db.LagesbildSource(ctx, r, r.Period.Previous(), r.Period.LastYear())
	h := <-hs
	if err == nil {
		err = h.err
	}
	if err != nil {
		fail(c, err)
		return lagesbild.Lagesbild{}, false
	}
	l := lagesbild.Build(r, src, s.now().UTC())
	if l.Hotspots = h.h; l.Hotspots != nil && l.Hotspots.Reports < 0 {
		l.Hotspots.Reports = 0
		for _, t := range l.Totals {
			l.Hotspots.Reports += t.Count
		}
	}
	if p == nil {
		return l, true
	}
	pr, err := s.promiseSummary(c, r)
	if err != nil {
		fail(c, err)
		return l, false
	}
	l.Promises = pr
	for _, p := range pr {
		for _, c := range p.Commitments {
			resp := string(c.Responsible)
			if c.ResponsibleOther != "" {
				resp = c.ResponsibleOther
			}
			line := lagesbild.IndicatorLine{Promise: p.Title, Commitment: c.Text, Responsible: resp, Status: string(c.Status)}
			if len(c.Indicators) == 0 {
				l.PromiseLines = append(l.PromiseLines, line)
			}
			for _, ind := range c.Indicators {
				line.Indicator, line.Kind, line.Status, line.Value, line.Target, line.How = ind.Label, string(ind.Kind), string(ind.Status), ind.Value, ind.Target, ind.How
				l.PromiseLines = append(l.PromiseLines, line)
			}
		}
	}
	return l, true
}

func (s *Server) getLagesbild(c *gin.Context) {
	p, ok := principal(c, readLagesbild)
	if !ok {
		return
	}
	lp := lagesbildParams{Municipality: c.Query("municipality"), Period: c.Query("period"), Area: c.Query("area")}
	if err := p.RequireMunicipality(lp.Municipality); err != nil {
		fail(c, err)
		return
	}
	l, ok := s.buildLagesbild(c, lp, &p)
	if !ok {
		return
	}
	// JSON is the staff page's read; every other format is an export.
	if f := c.DefaultQuery("format", "json"); f != "json" {
		detail := map[string]any{"what": "lagesbild", "format": f, "period": l.Period.Label}
		if sec := c.Query("section"); sec != "" {
			detail["section"] = sec
		}
		if lp.Area != "" {
			detail["area"] = lp.Area
		}
		if !s.audit(c, privacy.ActionExport, []privacy.Entry{{Municipality: l.Municipality, Detail: detail}}) {
			return
		}
	}
	s.writeLagesbild(c, l)
}

// publicLagesbild is the variant residents may read: small counts suppressed,
// no cells, no events.
//
// Anyone may ask for it, so answers are kept for publicLagesbildTTL per
// municipality and period (the request's period string normalised by its
// label): at most that stale, and a burst of requests counts once.
func (s *Server) publicLagesbild(c *gin.Context) {
	lp := lagesbildParams{Municipality: c.Query("municipality"), Period: c.Query("period")}
	r, err := lp.request()
	if err != nil {
		fail(c, err)
		return
	}
	key := lp.Municipality + "|" + r.Period.Label
	v, _ := publicLagesbildCaches.LoadOrStore(s, &sync.Map{})
	cache := v.(*sync.Map)
	if e, ok := cache.Load(key); ok && time.Since(e.(publicLagesbildEntry).at) < publicLagesbildTTL {
		c.Header("X-Cache", "hit")
		c.Data(http.StatusOK, "application/json; charset=utf-8", e.(publicLagesbildEntry).body)
		return
	}
	l, ok := s.buildLagesbild(c, lp, nil)
	if !ok {
		return
	}
	body, err := json.Marshal(lagesbild.Public(l, lagesbild.MinPublicCount))
	if err != nil {
		fail(c, err)
		return
	}
	cache.Range(func(k, e any) bool { // drop what has expired
		if time.Since(e.(publicLagesbildEntry).at) >= publicLagesbildTTL {
			cache.Delete(k)
		}
		return true
	})
	cache.Store(key, publicLagesbildEntry{at: time.Now(), body: body})
	c.Header("X-Cache", "miss")
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// publicLagesbildTTL is how long a public lägesbild is served from memory.
const publicLagesbildTTL = time.Minute

type publicLagesbildEntry struct {
	at   time.Time
	body []byte
}

// publicLagesbildCaches holds each server's cache without a field on Server.
var publicLagesbildCaches sync.Map // *Server → *sync.Map of key → publicLagesbildEntry
