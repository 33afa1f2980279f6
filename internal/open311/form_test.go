package open311

import (
	"bytes"
	"net/url"
	"reflect"
	"testing"

	"github.com/trygg/trygg/internal/apperr"
)

func TestDecodeForm(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantErr   string // field named in the error details; "" for success
		wantAttrs map[string][]string
		wantLat   float64
	}{
		{name: "spec fields", body: "api_key=k&jurisdiction_id=1781&service_code=FEL.LIGHT&lat=59.31&long=14.11&email=a%40b.se&device_id=d1&first_name=Ada&last_name=L&phone=070&description=Lampan&media_url=https%3A%2F%2Fx.se%2F1.jpg",
			wantAttrs: map[string][]string{}, wantLat: 59.31},
		{name: "single attribute", body: "lat=59&long=14&attribute%5Bfeeling%5D=2",
			wantAttrs: map[string][]string{"feeling": {"2"}}, wantLat: 59},
		{name: "multivalue attribute", body: "lat=59&long=14&attribute[WHO][]=a&attribute[WHO][]=b",
			wantAttrs: map[string][]string{"WHO": {"a", "b"}}, wantLat: 59},
		{name: "unknown parameters ignored", body: "lat=1&long=2&page_size=5&x=y", wantAttrs: map[string][]string{}, wantLat: 1},
		{name: "same value twice is fine", body: "lat=1&lat=1&long=2", wantAttrs: map[string][]string{}, wantLat: 1},
		{name: "conflicting repeats", body: "lat=1&lat=2&long=2", wantErr: "lat"},
		{name: "singular attribute repeated", body: "attribute[feeling]=1&attribute[feeling]=2", wantErr: "attribute[feeling]"},
		{name: "attribute without code", body: "attribute[]=1", wantErr: "attribute[]"},
		{name: "lat not a number", body: "lat=north&long=14", wantErr: "lat"},
		{name: "lat out of range", body: "lat=91&long=14", wantErr: "lat"},
		{name: "long out of range", body: "lat=59&long=-180.5", wantErr: "long"},
		{name: "long NaN", body: "lat=59&long=NaN", wantErr: "long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			s, err := DecodeForm(form)
			if tt.wantErr != "" {
				e, ok := apperr.As(err)
				if !ok || e.Kind != apperr.Invalid || e.Details.(map[string]string)["field"] != tt.wantErr {
					t.Fatalf("err = %v, want invalid field %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Attributes, tt.wantAttrs) {
				t.Errorf("attributes %v, want %v", s.Attributes, tt.wantAttrs)
			}
			if s.Lat == nil || *s.Lat != tt.wantLat {
				t.Errorf("lat %v, want %v", s.Lat, tt.wantLat)
			}
		})
	}
}

func TestDecodeFormSpecFields(t *testing.T) {
	form, _ := url.ParseQuery("api_key=K&jurisdiction_id=1781&service_code=FEL.ROAD&lat=59.3&long=14.1&address_string=Storgatan+1&address_id=77&email=e%40x.se&device_id=D&account_id=A&first_name=F&last_name=L&phone=P&description=T&media_url=M")
	s, err := DecodeForm(form)
	if err != nil {
		t.Fatal(err)
	}
	want := Submission{APIKey: "K", JurisdictionID: "1781", ServiceCode: "FEL.ROAD", AddressString: "Storgatan 1",
		AddressID: "77", Email: "e@x.se", DeviceID: "D", AccountID: "A", FirstName: "F", LastName: "L", Phone: "P",
		Description: "T", MediaURL: "M", Attributes: map[string][]string{}}
	s.Lat, s.Long = nil, nil
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v\nwant %+v", s, want)
	}
}

func TestFingerprint(t *testing.T) {
	fp := func(body string) []byte {
		form, _ := url.ParseQuery(body)
		s, err := DecodeForm(form)
		if err != nil {
			t.Fatal(err)
		}
		return s.Fingerprint()
	}
	base := fp("service_code=A&lat=59&long=14&description=x&attribute[m][]=1&attribute[m][]=2")
	same := []string{
		"long=14&lat=59&description=x&service_code=A&attribute[m][]=2&attribute[m][]=1",   // order
		"service_code=A&lat=59.0&long=14&description=x&attribute[m][]=1&attribute[m][]=2", // same number
		"api_key=other&device_id=z&service_code=A&lat=59&long=14&description=x&attribute[m][]=1&attribute[m][]=2",
	}
	for _, b := range same {
		if !bytes.Equal(fp(b), base) {
			t.Errorf("%s: fingerprint differs, want the same", b)
		}
	}
	differ := []string{
		"service_code=A&lat=59&long=14&description=y&attribute[m][]=1&attribute[m][]=2",
		"service_code=A&lat=59.0001&long=14&description=x&attribute[m][]=1&attribute[m][]=2",
		"service_code=A&lat=59&long=14&description=x&attribute[m][]=1",
		// Length-prefixed fields: moving text between fields must not collide.
		"service_code=A&lat=59&long=14&description=&email=x&attribute[m][]=1&attribute[m][]=2",
	}
	for _, b := range differ {
		if bytes.Equal(fp(b), base) {
			t.Errorf("%s: fingerprint equal, want a different one", b)
		}
	}
}

// FuzzDecodeForm feeds arbitrary query strings to the decoder: it must never
// panic, and what it accepts must keep its promises.
func FuzzDecodeForm(f *testing.F) {
	for _, s := range []string{"lat=59&long=14", "attribute[a][]=1&attribute[a][]=2", "attribute[]=x",
		"attribute[[]]=1", "lat=1e400", "attribute[a]=1&attribute[a][]=2", "service_code=%ff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		s, err := DecodeForm(form)
		if err != nil {
			if apperr.KindOf(err) != apperr.Invalid {
				t.Fatalf("error of kind %s: %v", apperr.KindOf(err), err)
			}
			return
		}
		if s.Lat != nil && (*s.Lat < -90 || *s.Lat > 90) || s.Long != nil && (*s.Long < -180 || *s.Long > 180) {
			t.Fatalf("accepted out-of-range point %v %v", *s.Lat, *s.Long)
		}
		if len(s.Attributes) > maxAttributes {
			t.Fatalf("accepted %d attributes", len(s.Attributes))
		}
		for code := range s.Attributes {
			if code == "" {
				t.Fatal("accepted an attribute without a code")
			}
		}
		_ = s.Fingerprint()
	})
}
