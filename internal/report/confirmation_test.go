package report

import (
	"bytes"
	"testing"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

func TestCheckConfirmation(t *testing.T) {
	three, six := 3, 6
	dev := []byte{1, 2, 3}
	tests := []struct {
		name string
		n    NewConfirmation
		r    Confirmable
		want apperr.Kind // "" = allowed
	}{
		{"open felanmälan", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Received, Published, false}, ""},
		{"forwarded felanmälan", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Forwarded, Published, false}, ""},
		{"pending report is not found", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Received, Pending, false}, apperr.NotFound},
		{"hidden report is not found", NewConfirmation{DeviceHash: dev}, Confirmable{KindOtrygghet, Received, Hidden, false}, apperr.NotFound},
		{"resolved felanmälan", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Resolved, Published, false}, apperr.Conflict},
		{"merged felanmälan", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Duplicate, Published, false}, apperr.Conflict},
		{"otrygghet with feeling", NewConfirmation{DeviceHash: dev, Feeling: &three}, Confirmable{KindOtrygghet, Received, Published, false}, ""},
		{"merged otrygghet", NewConfirmation{DeviceHash: dev}, Confirmable{KindOtrygghet, Duplicate, Published, false}, apperr.Conflict},
		{"feeling on a felanmälan", NewConfirmation{DeviceHash: dev, Feeling: &three}, Confirmable{KindFelanmalan, Received, Published, false}, apperr.Invalid},
		{"own report", NewConfirmation{DeviceHash: dev}, Confirmable{KindFelanmalan, Received, Published, true}, apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckConfirmation(tt.n, tt.r)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || apperr.KindOf(err) != tt.want {
				t.Fatalf("got %v, want kind %s", err, tt.want)
			}
		})
	}
	if err := (NewConfirmation{}).Validate(); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("no device: %v", err)
	}
	if err := (NewConfirmation{DeviceHash: dev, Feeling: &six}).Validate(); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("feeling 6: %v", err)
	}
}

func TestConfirmationRequestHash(t *testing.T) {
	one, two := 1, 2
	id := uuid.MustParse("6f1c1f6e-1d57-4a7e-9f1e-0d3c1a2b3c4d")
	base := NewConfirmation{ReportID: id, DeviceHash: []byte{1}, Feeling: &one}
	same := NewConfirmation{ReportID: id, DeviceHash: []byte{1}, Feeling: &one}
	if !bytes.Equal(base.RequestHash(), same.RequestHash()) {
		t.Fatal("equal requests hash differently")
	}
	for name, other := range map[string]NewConfirmation{
		"report":  {ReportID: uuid.New(), DeviceHash: []byte{1}, Feeling: &one},
		"device":  {ReportID: id, DeviceHash: []byte{2}, Feeling: &one},
		"feeling": {ReportID: id, DeviceHash: []byte{1}, Feeling: &two},
		"none":    {ReportID: id, DeviceHash: []byte{1}},
	} {
		if bytes.Equal(base.RequestHash(), other.RequestHash()) {
			t.Errorf("a different %s hashes the same", name)
		}
	}
}
