package auth

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/apperr"
)

func TestRequire(t *testing.T) {
	for _, r := range Roles {
		p := Principal{Role: r, Municipalities: []string{"1781"}}
		err := p.Require(ManageReports)
		want := r == Caseworker || r == Admin
		if (err == nil) != want {
			t.Errorf("role %s ManageReports: err=%v want allowed=%v", r, err, want)
		}
		if err != nil && apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("want forbidden, got %v", err)
		}
	}
}

func TestScope(t *testing.T) {
	p := Principal{Role: Admin, Municipalities: []string{"1781", "1782"}}
	if p.RequireMunicipality("1782") != nil || p.RequireMunicipality("1290") == nil {
		t.Fatal("scope check wrong")
	}
}

func TestToken(t *testing.T) {
	a, ha := NewToken()
	b, hb := NewToken()
	if a == b || bytes.Equal(ha, hb) || !strings.HasPrefix(a, TokenPrefix) || !bytes.Equal(HashToken(a), ha) {
		t.Fatal("tokens must be unique and hash consistently")
	}
}

func TestParseMunicipalities(t *testing.T) {
	got, err := ParseMunicipalities("1781, 1290")
	if err != nil || len(got) != 2 || got[1] != "1290" {
		t.Fatalf("got %v %v", got, err)
	}
	for _, bad := range []string{"", "178", "17811", "abcd", "1781,"} {
		if _, err := ParseMunicipalities(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
