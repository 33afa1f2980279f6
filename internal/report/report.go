package report

import (
	"time"

	"github.com/google/uuid"
)

// Kinds of report.
const (
	KindOtrygghet  = "otrygghet"
	KindFelanmalan = "felanmalan"
)

// Visibility is the moderation state: what the public may see.
type Visibility string

const (
	Pending   Visibility = "pending"
	Published Visibility = "published"
	Hidden    Visibility = "hidden"
)

// Source says how a report came in.
const (
	SourceApp     = "app"
	SourceWeb     = "web"
	SourceOpen311 = "open311"
	SourceWalk    = "walk"
	SourceDemo    = "demo"
)

// Location is a WGS 84 point with the device's reported accuracy.
type Location struct {
	Lat       float64  `json:"lat"`
	Lon       float64  `json:"lon"`
	AccuracyM *float64 `json:"accuracy_m,omitempty"`
}

// Contact is how a resident may be reached. Only staff may read it.
type Contact struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Empty reports whether no contact field is set (the resident is anonymous).
func (c Contact) Empty() bool { return c.Name == "" && c.Email == "" && c.Phone == "" }

// Municipality names the kommun a report lies in.
type Municipality struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Report is a stored report as staff see it.
type Report struct {
	ID            uuid.UUID    `json:"id"`
	Reference     string       `json:"reference"`
	Kind          string       `json:"kind"`
	Category      string       `json:"category"`
	Municipality  Municipality `json:"municipality"`
	Location      Location     `json:"location"`
	ObservedAt    time.Time    `json:"observed_at"`
	ReceivedAt    time.Time    `json:"received_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	Description   string       `json:"description,omitempty"`
	Feeling       int          `json:"feeling,omitempty"`
	TimeOfDay     string       `json:"time_of_day,omitempty"`
	Status        Status       `json:"status"`
	Visibility    Visibility   `json:"visibility"`
	Source        string       `json:"source"`
	DuplicateOf   *uuid.UUID   `json:"duplicate_of,omitempty"`
	Version       int          `json:"version"`
	Contact       *Contact     `json:"contact,omitempty"`
	Photos        []PhotoRef   `json:"photos,omitempty"`
	Confirmations int          `json:"confirmations"`
}

// PhotoRef points at a stored photo.
type PhotoRef struct {
	ID          uuid.UUID `json:"id"`
	ContentType string    `json:"content_type"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	URL         string    `json:"url"`
	// Visibility is the photo's own moderation, when it has one: a
	// confirmation's photo is pending until staff publish it. Empty means the
	// photo follows its report's visibility.
	Visibility Visibility `json:"visibility,omitempty"`
	// ConfirmationID is set on a photo sent with a confirmation.
	ConfirmationID *uuid.UUID `json:"confirmation_id,omitempty"`
	// MergedFrom lists the reports the photo was moved away from by merges,
	// oldest first; its old URLs under those reports keep working.
	MergedFrom []uuid.UUID `json:"merged_from,omitempty"`
}

// Event is one entry in a report's history.
type Event struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Type       string    `json:"type"`
	Actor      string    `json:"actor,omitempty"`
	ActorKind  string    `json:"actor_kind"`
	FromStatus Status    `json:"from_status,omitempty"`
	ToStatus   Status    `json:"to_status,omitempty"`
	Note       string    `json:"note,omitempty"`
	Public     bool      `json:"public"`
}

// Event types.
const (
	EventCreated    = "created"
	EventStatus     = "status"
	EventVisibility = "visibility"
	EventNote       = "note"
	EventMerged     = "merged"
	EventPhoto      = "photo"
	// EventRepointed records on a duplicate that the report it was merged into
	// was itself merged (or un-merged), so it now points at another one.
	EventRepointed = "repointed"
	// EventPhotoVisibility records a moderation decision on one photo.
	EventPhotoVisibility = "photo_visibility"
)
