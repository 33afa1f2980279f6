package report

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
	"github.com/trygg/trygg/internal/category"
)

// scriptedStore answers CreateReport with the given errors in turn, then with a
// receipt, and records the drafts it was given.
type scriptedStore struct {
	errs   []error
	drafts []Draft
}

func (s *scriptedStore) Categories(context.Context) ([]category.Category, error) {
	out := make([]category.Category, 0, len(testTaxonomy))
	for _, c := range testTaxonomy {
		out = append(out, c)
	}
	return out, nil
}

func (s *scriptedStore) CreateReport(_ context.Context, d Draft, _ Idempotency) (Receipt, error) {
	s.drafts = append(s.drafts, d)
	if i := len(s.drafts) - 1; i < len(s.errs) {
		return Receipt{}, s.errs[i]
	}
	return Receipt{ID: d.ID, Reference: d.Reference, Status: d.Status, FollowUpToken: d.FollowUpToken}, nil
}

func (s *scriptedStore) FollowUp(context.Context, uuid.UUID, []byte) (FollowUpView, error) {
	return FollowUpView{}, errors.New("not scripted")
}

func TestCreate(t *testing.T) {
	taken := ErrReferenceTaken
	cases := []struct {
		name     string
		n        New
		errs     []error
		attempts int
		want     apperr.Kind // "" = stored
	}{
		{"stored at once", validNew(nil), nil, 1, ""},
		{"invalid never reaches the store", validNew(func(n *New) { n.Category = "FEL.NOPE" }), nil, 0, apperr.Invalid},
		{"reference collision minted again", validNew(nil), []error{taken, taken}, 3, ""},
		{"gives up after six collisions", validNew(nil), []error{taken, taken, taken, taken, taken, taken}, 6, apperr.Internal},
		{"store error passed on", validNew(nil), []error{apperr.Errorf(apperr.Conflict, "key reused")}, 1, apperr.Conflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := &scriptedStore{errs: tc.errs}
			svc := &Service{Store: st, Now: func() time.Time { return clockNow }}
			rc, err := svc.Create(context.Background(), tc.n, Idempotency{Scope: "report", Key: "k"})
			if len(st.drafts) != tc.attempts {
				t.Errorf("%d store calls, want %d", len(st.drafts), tc.attempts)
			}
			if tc.want != "" {
				if err == nil || apperr.KindOf(err) != tc.want {
					t.Fatalf("error %v, want kind %s", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := st.drafts[len(st.drafts)-1]
			if rc.ID != d.ID || d.Status != Received || d.Visibility != Pending || d.ObservedAt == nil {
				t.Errorf("receipt %+v from draft %+v", rc, d)
			}
			if hex.EncodeToString(HashToken(d.FollowUpToken)) != hex.EncodeToString(d.FollowUpHash) {
				t.Error("follow-up hash is not the token's hash")
			}
			if len(st.drafts) > 1 && st.drafts[0].Reference == d.Reference && st.drafts[0].ID == d.ID {
				t.Error("retry after a collision reused the reference")
			}
		})
	}
}

func TestFollowUpNeedsToken(t *testing.T) {
	svc := &Service{Store: &scriptedStore{}, Now: func() time.Time { return clockNow }}
	if _, err := svc.FollowUp(context.Background(), uuid.New(), ""); apperr.KindOf(err) != apperr.Unauthorized {
		t.Errorf("empty token: %v, want unauthorized", err)
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256 of "abc", FIPS 180-2 appendix B.1.
	if got := hex.EncodeToString(HashToken("abc")); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}
}

func TestNewReference(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		r := NewReference()
		if len(r) != 9 || r[4] != '-' {
			t.Fatalf("reference %q is not XXXX-XXXX", r)
		}
		for i, c := range r {
			if i != 4 && !strings.ContainsRune(referenceAlphabet, c) {
				t.Fatalf("reference %q has %q outside the alphabet", r, c)
			}
		}
		seen[r] = true
	}
	// 32^8 ≈ 10^12 codes: 2000 draws colliding would point at a broken source.
	if len(seen) < 1999 {
		t.Errorf("%d distinct references in 2000", len(seen))
	}
	for _, c := range "01OI" {
		if strings.ContainsRune(referenceAlphabet, c) {
			t.Errorf("alphabet has the easily misheard %q", c)
		}
	}
}
