package open311

import (
	"crypto/sha256"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/trygg/trygg/internal/apperr"
)

// Submission is a decoded POST requests form.
type Submission struct {
	APIKey         string
	JurisdictionID string
	ServiceCode    string
	Lat, Long      *float64
	AddressString  string
	AddressID      string
	Email          string
	DeviceID       string
	AccountID      string
	FirstName      string
	LastName       string
	Phone          string
	Description    string
	MediaURL       string
	// Attributes holds attribute[CODE]=v and attribute[CODE][]=v, by CODE.
	Attributes map[string][]string
}

// maxAttributes bounds what a client can make the server hold per request.
const maxAttributes = 50

// DecodeForm reads a POST requests form. Unknown parameters are ignored, as
// clients written for other Open311 servers send extensions; a parameter given
// twice with different values is refused rather than guessed at.
func DecodeForm(form url.Values) (Submission, error) {
	s := Submission{Attributes: map[string][]string{}}
	scalars := map[string]*string{
		"api_key": &s.APIKey, "jurisdiction_id": &s.JurisdictionID, "service_code": &s.ServiceCode,
		"address_string": &s.AddressString, "address_id": &s.AddressID, "email": &s.Email,
		"device_id": &s.DeviceID, "account_id": &s.AccountID, "first_name": &s.FirstName,
		"last_name": &s.LastName, "phone": &s.Phone, "description": &s.Description, "media_url": &s.MediaURL,
	}
	for key, vals := range form {
		if code, list, ok := attributeKey(key); ok {
			if code == "" {
				return s, apperr.Field(key, "%s: an attribute needs a code, attribute[CODE]", key)
			}
			if len(s.Attributes) >= maxAttributes {
				return s, apperr.Field("attribute", "more than %d attributes", maxAttributes)
			}
			if !list && len(vals) > 1 {
				return s, apperr.Field(key, "%s was sent %d times; use attribute[%s][] for several values", key, len(vals), code)
			}
			s.Attributes[code] = append(s.Attributes[code], vals...)
			continue
		}
		v, err := single(key, vals)
		if err != nil {
			return s, err
		}
		if p, ok := scalars[key]; ok {
			*p = strings.TrimSpace(v)
		}
		switch key {
		case "lat":
			if s.Lat, err = coordinate(key, v, 90); err != nil {
				return s, err
			}
		case "long":
			if s.Long, err = coordinate(key, v, 180); err != nil {
				return s, err
			}
		}
	}
	for k, v := range s.Attributes {
		for _, x := range v {
			if !utf8.ValidString(x) || !utf8.ValidString(k) {
				return s, apperr.Field("attribute["+k+"]", "attribute values must be UTF-8 text")
			}
		}
	}
	return s, nil
}

// attributeKey recognises attribute[CODE] and attribute[CODE][].
func attributeKey(key string) (code string, list, ok bool) {
	rest, found := strings.CutPrefix(key, "attribute[")
	if !found {
		return "", false, false
	}
	if c, found := strings.CutSuffix(rest, "][]"); found {
		return c, true, !strings.ContainsAny(c, "[]")
	}
	if c, found := strings.CutSuffix(rest, "]"); found {
		return c, false, !strings.ContainsAny(c, "[]")
	}
	return "", false, false
}

func single(key string, vals []string) (string, error) {
	for _, v := range vals[1:] {
		if v != vals[0] {
			return "", apperr.Field(key, "%s was sent more than once with different values", key)
		}
	}
	return vals[0], nil
}

func coordinate(key, v string, limit float64) (*float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < -limit || f > limit {
		return nil, apperr.Field(key, "%s must be a decimal WGS 84 degree between %g and %g", key, -limit, limit)
	}
	return &f, nil
}

// Fingerprint hashes everything a resident said in the submission (not the
// api_key or the device): the same fields give the same hash whatever their
// order in the form, so a retried POST can be recognised.
func (s Submission) Fingerprint() []byte {
	h := sha256.New()
	field := func(name, v string) {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(strconv.Itoa(len(v))))
		h.Write([]byte{0})
		h.Write([]byte(v))
	}
	num := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	field("jurisdiction_id", s.JurisdictionID)
	field("service_code", s.ServiceCode)
	field("lat", num(s.Lat))
	field("long", num(s.Long))
	field("address_string", s.AddressString)
	field("address_id", s.AddressID)
	field("email", s.Email)
	field("account_id", s.AccountID)
	field("first_name", s.FirstName)
	field("last_name", s.LastName)
	field("phone", s.Phone)
	field("description", s.Description)
	field("media_url", s.MediaURL)
	codes := make([]string, 0, len(s.Attributes))
	for c := range s.Attributes {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		vals := append([]string(nil), s.Attributes[c]...)
		sort.Strings(vals)
		for _, v := range vals {
			field("attribute["+c+"]", v)
		}
	}
	return h.Sum(nil)
}

// Retry identifies a submission for recognising a client's retry: the hash of
// its device_id and the Fingerprint of its fields. Without a device_id there is
// nothing to tell two residents apart by, so no retry check is made.
type Retry struct {
	DeviceHash []byte
	// DevicePrevious is the device under the previous key period's key: a retry
	// that straddles a key rotation is still recognised.
	DevicePrevious  []byte
	DeviceKeyPeriod int
	FieldsHash      []byte
	APIKeyID        uuid.UUID // uuid.Nil when the POST came without a key
}

// RetryWindow is how long a repeated submission counts as a retry of the first.
const RetryWindow = 10 * time.Minute
