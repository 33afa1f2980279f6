package open311

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/report"
)

// Published is a published report as the public may see it, read by the store
// with its point already coarsened by the category's sensitivity.
type Published struct {
	Reference    string
	Status       report.Status
	CategoryCode string
	CategoryName string // in the language asked for
	Municipality string // the kommun's name: the agency responsible
	ReceivedAt   time.Time
	UpdatedAt    time.Time
	// Point is nil for restricted categories; for sensitive ones it is the
	// centre of the report's 100 m SWEREF 99 TM cell.
	Lat, Long *float64
	// StatusNotes is the latest note staff marked public, never the resident's text.
	StatusNotes string
}

// Public is the service request the public sees. description stays empty
// because the public never sees a resident's free text, and no contact field
// exists in the type at all.
func Public(p Published) ServiceRequest {
	return ServiceRequest{
		ServiceRequestID:  p.Reference,
		Status:            StatusOf(p.Status),
		StatusNotes:       p.StatusNotes,
		ServiceName:       p.CategoryName,
		ServiceCode:       p.CategoryCode,
		AgencyResponsible: p.Municipality,
		RequestedDatetime: Datetime(p.ReceivedAt),
		UpdatedDatetime:   Datetime(p.UpdatedAt),
		Lat:               p.Lat,
		Long:              p.Long,
	}
}

// Store is what the Open311 interface needs from storage beyond the reporting core.
type Store interface {
	MunicipalityExists(ctx context.Context, code string) (bool, error)
	APIKeyID(ctx context.Context, hash []byte) (uuid.UUID, error)
	PublishedRequests(ctx context.Context, q Query, lang string) ([]Published, error)
	RequestByToken(ctx context.Context, token uuid.UUID) (reference string, err error)
}
