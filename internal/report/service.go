package report

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

// Receipt is what a resident's app gets back for an accepted report. A retry with
// the same idempotency key gets the very same receipt.
type Receipt struct {
	ID            uuid.UUID    `json:"id"`
	Reference     string       `json:"reference"`
	Status        Status       `json:"status"`
	Municipality  Municipality `json:"municipality"`
	FollowUpToken string       `json:"follow_up_token"`
}

// Draft is a validated submission with the identifiers the server minted for it.
type Draft struct {
	New
	ID            uuid.UUID
	Reference     string
	FollowUpToken string
	FollowUpHash  []byte
	Status        Status
}

// Idempotency identifies one client request: Key is the client's Idempotency-Key,
// RequestHash a hash of what it sent, so a reused key with a different body is
// refused rather than answered with someone else's receipt.
type Idempotency struct {
	Scope       string
	Key         string
	RequestHash []byte
}

// ErrReferenceTaken is returned by a store when a freshly minted reference
// collides with an existing one; the service mints another.
var ErrReferenceTaken = errors.New("report reference already taken")

// Store is what the reporting core needs from storage.
type Store interface {
	Categories(ctx context.Context) ([]category.Category, error)
	// CreateReport stores the draft and its receipt under the idempotency key in
	// one transaction, or returns the receipt stored earlier under that key.
	CreateReport(ctx context.Context, d Draft, idem Idempotency) (Receipt, error)
	FollowUp(ctx context.Context, id uuid.UUID, tokenHash []byte) (FollowUpView, error)
}

// FollowUpView is what a resident holding the follow-up token may see.
type FollowUpView struct {
	ID           uuid.UUID    `json:"id"`
	Reference    string       `json:"reference"`
	Kind         string       `json:"kind"`
	Category     string       `json:"category"`
	Status       Status       `json:"status"`
	Visibility   Visibility   `json:"visibility"`
	Municipality Municipality `json:"municipality"`
	ObservedAt   time.Time    `json:"observed_at"`
	ReceivedAt   time.Time    `json:"received_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	DuplicateOf  *uuid.UUID   `json:"duplicate_of,omitempty"`
	History      []Event      `json:"history"`
	// Kept is, for a report merged as a duplicate, the report it was merged
	// into: whoever follows the duplicate follows the kept report's progress.
	Kept *KeptView `json:"kept,omitempty"`
}

// KeptView is the public state and history of the report a duplicate was
// merged into, as the duplicate's followers see it.
type KeptView struct {
	ID        uuid.UUID `json:"id"`
	Reference string    `json:"reference"`
	Status    Status    `json:"status"`
	UpdatedAt time.Time `json:"updated_at"`
	History   []Event   `json:"history"`
}

// Service accepts and follows up resident reports.
type Service struct {
	Store Store
	Now   func() time.Time
}

// Create validates and stores a submission exactly once per idempotency key.
func (s *Service) Create(ctx context.Context, n New, idem Idempotency) (Receipt, error) {
	cats, err := s.categoryMap(ctx)
	if err != nil {
		return Receipt{}, err
	}
	if err := n.Validate(s.Now(), cats); err != nil {
		return Receipt{}, err
	}
	if n.Visibility == "" {
		n.Visibility = Pending
	}
	for attempt := 0; ; attempt++ {
		d, err := mint(n)
		if err != nil {
			return Receipt{}, err
		}
		rc, err := s.Store.CreateReport(ctx, d, idem)
		if errors.Is(err, ErrReferenceTaken) && attempt < 5 {
			continue
		}
		return rc, err
	}
}

// FollowUp returns the report's public status and history to the holder of its
// follow-up token. A wrong token is indistinguishable from a missing report.
func (s *Service) FollowUp(ctx context.Context, id uuid.UUID, token string) (FollowUpView, error) {
	if token == "" {
		return FollowUpView{}, apperr.Errorf(apperr.Unauthorized, "the follow-up token is required (header X-Follow-Up-Token)")
	}
	return s.Store.FollowUp(ctx, id, HashToken(token))
}

func (s *Service) categoryMap(ctx context.Context) (map[string]category.Category, error) {
	list, err := s.Store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]category.Category, len(list))
	for _, c := range list {
		m[c.Code] = c
	}
	return m, nil
}

func mint(n New) (Draft, error) {
	id, err := uuid.NewRandom()
	if err != nil {
		return Draft{}, err
	}
	tok := make([]byte, 24)
	if _, err := rand.Read(tok); err != nil {
		return Draft{}, err
	}
	token := base64.RawURLEncoding.EncodeToString(tok)
	return Draft{New: n, ID: id, Reference: NewReference(), FollowUpToken: token,
		FollowUpHash: HashToken(token), Status: Received}, nil
}

// HashToken is how follow-up tokens are stored: only their SHA-256. They are
// random and long, so no slow hash is needed.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// referenceAlphabet leaves out 0/O and 1/I so a reference read over the phone is
// not misheard.
const referenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewReference returns a short human code such as "K7Q9-XM2A".
func NewReference() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	out := make([]byte, 0, 9)
	for i, v := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, referenceAlphabet[int(v)%len(referenceAlphabet)])
	}
	return string(out)
}
