package privacy

import "testing"

func TestMaskText(t *testing.T) {
	tests := []struct {
		name, in string
		names    []string
		want     string
	}{
		{"e-mail", "Mejla anna.s@exempel.se om lampan", nil, "Mejla [e-post] om lampan"},
		{"mobile with spaces", "ring 070-123 45 67 efter fem", nil, "ring [telefon] efter fem"},
		{"international", "nås på +46 70 123 45 67.", nil, "nås på [telefon]."},
		{"short numbers stay", "lampa nr 12 på Storgatan 4", nil, "lampa nr 12 på Storgatan 4"},
		{"year and time stay", "sedan 2024 kl 21.30", nil, "sedan 2024 kl 21.30"},
		{"reporter's name in lower case", "jag, sven, såg det", []string{"Sven Ek"}, "jag, [namn], såg det"},
		{"full name", "Det var Kalle Anka som ringde", nil, "Det var [namn] som ringde"},
		{"hyphenated name", "Karl-Erik Ek bor här", nil, "[namn] bor här"},
		{"one capitalised word stays", "Mörkt vid Kungsgatan", nil, "Mörkt vid Kungsgatan"},
		{"name inside a word stays", "Svenska flaggan", []string{"Sven"}, "Svenska flaggan"},
	}
	for _, tt := range tests {
		if got := MaskText(tt.in, tt.names...); got != tt.want {
			t.Errorf("%s: MaskText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+46 70-123 45 67": "0701234567", "070 123 45 67": "0701234567", "0046701234567": "0701234567",
		"": "", "+46": "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}
