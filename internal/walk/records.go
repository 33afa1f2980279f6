package walk

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/trygg/trygg/internal/apperr"
)

// Status of a walk: planned, then held, then followed up once its measures
// have been looked at again.
type Status string

const (
	Planned    Status = "planned"
	Held       Status = "held"
	FollowedUp Status = "followed_up"
)

var statusOrder = []Status{Planned, Held, FollowedUp}

// Record is a trygghetsvandring as stored: the plan, and what the walk found.
type Record struct {
	ID           uuid.UUID         `json:"id"`
	Municipality string            `json:"municipality"`
	AreaID       *uuid.UUID        `json:"area_id,omitempty"`
	Title        string            `json:"title"`
	StartsAt     time.Time         `json:"starts_at"`
	Organiser    string            `json:"organiser"`
	Partners     []string          `json:"partners"`
	Participants *int              `json:"participants,omitempty"`
	Status       Status            `json:"status"`
	Route        *geojson.Geometry `json:"route,omitempty"`
	RouteLengthM *float64          `json:"route_length_m,omitempty"`
	Plan         json.RawMessage   `json:"plan,omitempty"`
	Stops        []RecordStop      `json:"stops"`
	CreatedBy    string            `json:"created_by"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
}

// RecordStop is a planned stop of a walk, in walking order from 1.
type RecordStop struct {
	Seq    int    `json:"seq"`
	Name   string `json:"name"`
	Reason string `json:"reason,omitempty"`
	Kind   Kind   `json:"kind"`
	Point  LatLon `json:"point"`
}

// LatLon is a WGS 84 point as the API writes it.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Orb returns the point as lon/lat.
func (p LatLon) Orb() orb.Point { return orb.Point{p.Lon, p.Lat} }

func (p LatLon) valid() bool { return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180 }

// NewRecord is a walk as a planner creates it, optionally from a plan.
type NewRecord struct {
	Municipality string          `json:"municipality"`
	AreaID       *uuid.UUID      `json:"area_id,omitempty"`
	Title        string          `json:"title"`
	StartsAt     time.Time       `json:"starts_at"`
	Organiser    string          `json:"organiser,omitempty"`
	Partners     []string        `json:"partners,omitempty"`
	Participants *int            `json:"participants,omitempty"`
	Route        []LatLon        `json:"route,omitempty"`
	Stops        []RecordStop    `json:"stops,omitempty"`
	Plan         json.RawMessage `json:"plan,omitempty"`
}

// Validate checks a new walk.
func (n *NewRecord) Validate() error {
	if len(n.Municipality) != 4 || strings.Trim(n.Municipality, "0123456789") != "" {
		return apperr.Field("municipality", "municipality must be a four-digit kommunkod (or come from the plan)")
	}
	n.Title = strings.TrimSpace(n.Title)
	if n.Title == "" || utf8.RuneCountInString(n.Title) > 200 {
		return apperr.Field("title", "title is required, at most 200 characters")
	}
	if n.StartsAt.IsZero() {
		return apperr.Field("starts_at", "starts_at is required (RFC 3339)")
	}
	if n.Participants != nil && *n.Participants < 0 {
		return apperr.Field("participants", "participants must not be negative")
	}
	if len(n.Route) == 1 {
		return apperr.Field("route", "a route needs at least two points")
	}
	for _, p := range n.Route {
		if !p.valid() {
			return apperr.Field("route", "route points must be lat/lon")
		}
	}
	for i := range n.Stops {
		s := &n.Stops[i]
		s.Seq = i + 1
		if !s.Point.valid() {
			return apperr.Field("stops", "stop %d must have a lat/lon point", s.Seq)
		}
		if s.Name == "" {
			return apperr.Field("stops", "stop %d needs a name", s.Seq)
		}
		if s.Kind == "" {
			s.Kind = KindManual
		}
	}
	if n.Partners == nil {
		n.Partners = []string{}
	}
	return nil
}

// RecordPatch changes a walk; nil fields stay as they are.
type RecordPatch struct {
	Title        *string    `json:"title,omitempty"`
	StartsAt     *time.Time `json:"starts_at,omitempty"`
	Organiser    *string    `json:"organiser,omitempty"`
	Partners     []string   `json:"partners,omitempty"`
	Participants *int       `json:"participants,omitempty"`
	Status       *Status    `json:"status,omitempty"`
}

// Apply changes r by the patch. A walk's status only moves forward: planned,
// held, followed up.
func (p RecordPatch) Apply(r *Record) error {
	if p.Title != nil {
		t := strings.TrimSpace(*p.Title)
		if t == "" || utf8.RuneCountInString(t) > 200 {
			return apperr.Field("title", "title must be 1 to 200 characters")
		}
		r.Title = t
	}
	if p.StartsAt != nil {
		r.StartsAt = *p.StartsAt
	}
	if p.Organiser != nil {
		r.Organiser = *p.Organiser
	}
	if p.Partners != nil {
		r.Partners = p.Partners
	}
	if p.Participants != nil {
		if *p.Participants < 0 {
			return apperr.Field("participants", "participants must not be negative")
		}
		r.Participants = p.Participants
	}
	if p.Status != nil {
		to := slices.Index(statusOrder, *p.Status)
		if to < 0 {
			return apperr.Field("status", "status must be planned, held or followed_up")
		}
		if to < slices.Index(statusOrder, r.Status) {
			return apperr.Errorf(apperr.Conflict, "a walk that is %s cannot go back to %s", r.Status, *p.Status)
		}
		r.Status = *p.Status
	}
	return nil
}
