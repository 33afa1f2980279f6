package category

import "testing"

func TestWithin(t *testing.T) {
	tests := []struct {
		code, prefix string
		want         bool
	}{
		{"OTR.SOC.GATHER", "OTR.SOC", true},
		{"OTR.SOC.GATHER", "OTR", true},
		{"OTR.SOC", "OTR.SOC", true},
		{"OTR.SOC.GATHER", "OTR.S", false},
		{"FEL.LIGHT", "OTR", false},
	}
	for _, tt := range tests {
		if got := Within(tt.code, tt.prefix); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.code, tt.prefix, got, tt.want)
		}
	}
}

func TestNameLanguage(t *testing.T) {
	c := Category{NameSV: "Gatubelysning", NameEN: "Street lighting"}
	if c.Name("en") != "Street lighting" || c.Name("sv") != "Gatubelysning" || c.Name("") != "Gatubelysning" {
		t.Fatal("wrong language selection")
	}
}
