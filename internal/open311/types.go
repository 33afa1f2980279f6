package open311

import (
	"encoding/json"
	"encoding/xml"
	"time"
)

// Spec is the specification URL named in the discovery document.
const Spec = "http://wiki.open311.org/GeoReport_v2"

// Datetime is a W3C date-time as the specification asks for: seconds precision
// and an explicit offset. The zero time encodes as an empty string.
type Datetime time.Time

// MarshalText writes the time in UTC with a Z, or nothing for the zero time.
func (d Datetime) MarshalText() ([]byte, error) {
	t := time.Time(d)
	if t.IsZero() {
		return []byte{}, nil
	}
	return []byte(t.UTC().Format(time.RFC3339)), nil
}

// UnmarshalText reads what MarshalText writes (and any W3C date-time ParseDatetime takes).
func (d *Datetime) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Datetime{}
		return nil
	}
	t, err := ParseDatetime(string(b))
	*d = Datetime(t)
	return err
}

// Service is one entry of GET services.
type Service struct {
	XMLName     xml.Name `xml:"service" json:"-"`
	ServiceCode string   `xml:"service_code" json:"service_code"`
	ServiceName string   `xml:"service_name" json:"service_name"`
	Description string   `xml:"description" json:"description"`
	Metadata    bool     `xml:"metadata" json:"metadata"`
	Type        string   `xml:"type" json:"type"`
	Keywords    string   `xml:"keywords" json:"keywords"`
	Group       string   `xml:"group" json:"group"`
}

// Services is the XML document of GET services; in JSON it is a bare array.
type Services struct {
	XMLName  xml.Name  `xml:"services"`
	Services []Service `xml:"service"`
}

// ServiceDefinition is GET services/{service_code}.
type ServiceDefinition struct {
	XMLName     xml.Name    `xml:"service_definition" json:"-"`
	ServiceCode string      `xml:"service_code" json:"service_code"`
	Attributes  []Attribute `xml:"attributes>attribute" json:"attributes"`
}

// Datatypes of an attribute.
const (
	String          = "string"
	Number          = "number"
	DatetimeType    = "datetime"
	Text            = "text"
	SingleValueList = "singlevaluelist"
	MultiValueList  = "multivaluelist"
)

// Attribute is one question a service asks beyond the standard fields.
type Attribute struct {
	Variable            bool    `xml:"variable" json:"variable"`
	Code                string  `xml:"code" json:"code"`
	Datatype            string  `xml:"datatype" json:"datatype"`
	Required            bool    `xml:"required" json:"required"`
	DatatypeDescription string  `xml:"datatype_description" json:"datatype_description"`
	Order               int     `xml:"order" json:"order"`
	Description         string  `xml:"description" json:"description"`
	Values              []Value `xml:"values>value" json:"values"`
}

// Value is one choice of a list attribute.
type Value struct {
	Key  string `xml:"key" json:"key"`
	Name string `xml:"name" json:"name"`
}

// ServiceRequest is one entry of GET requests and GET requests/{id}.
type ServiceRequest struct {
	XMLName           xml.Name `xml:"request" json:"-"`
	ServiceRequestID  string   `xml:"service_request_id" json:"service_request_id"`
	Status            string   `xml:"status" json:"status"`
	StatusNotes       string   `xml:"status_notes" json:"status_notes"`
	ServiceName       string   `xml:"service_name" json:"service_name"`
	ServiceCode       string   `xml:"service_code" json:"service_code"`
	Description       string   `xml:"description" json:"description"`
	AgencyResponsible string   `xml:"agency_responsible" json:"agency_responsible"`
	ServiceNotice     string   `xml:"service_notice" json:"service_notice"`
	RequestedDatetime Datetime `xml:"requested_datetime" json:"requested_datetime"`
	UpdatedDatetime   Datetime `xml:"updated_datetime" json:"updated_datetime"`
	ExpectedDatetime  Datetime `xml:"expected_datetime" json:"expected_datetime"`
	Address           string   `xml:"address" json:"address"`
	AddressID         string   `xml:"address_id" json:"address_id"`
	Zipcode           string   `xml:"zipcode" json:"zipcode"`
	// Lat and Long are nil for restricted categories: JSON null, no XML element.
	Lat      *float64 `xml:"lat,omitempty" json:"lat"`
	Long     *float64 `xml:"long,omitempty" json:"long"`
	MediaURL string   `xml:"media_url" json:"media_url"`
}

// ServiceRequests is the XML document of GET requests; in JSON a bare array.
type ServiceRequests struct {
	XMLName  xml.Name         `xml:"service_requests"`
	Requests []ServiceRequest `xml:"request"`
}

// Created is the answer to POST requests.
type Created struct {
	XMLName          xml.Name `xml:"request" json:"-"`
	ServiceRequestID string   `xml:"service_request_id" json:"service_request_id"`
	Token            string   `xml:"token,omitempty" json:"token,omitempty"`
	ServiceNotice    string   `xml:"service_notice" json:"service_notice"`
	AccountID        Optional `xml:"account_id" json:"account_id"`
}

// Optional is a text field the specification shows as null in JSON when it has
// no value, and as an empty element in XML.
type Optional string

// MarshalJSON writes null for the empty string.
func (o Optional) MarshalJSON() ([]byte, error) {
	if o == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(o))
}

// UnmarshalJSON reads a string or null.
func (o *Optional) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*o = ""
	if s != nil {
		*o = Optional(*s)
	}
	return nil
}

// CreatedRequests is the XML document of the POST answer.
type CreatedRequests struct {
	XMLName  xml.Name  `xml:"service_requests"`
	Requests []Created `xml:"request"`
}

// TokenRequest is the answer to GET tokens/{token}.
type TokenRequest struct {
	XMLName          xml.Name `xml:"request" json:"-"`
	ServiceRequestID string   `xml:"service_request_id" json:"service_request_id"`
	Token            string   `xml:"token" json:"token"`
}

// TokenRequests is the XML document of GET tokens/{token}.
type TokenRequests struct {
	XMLName  xml.Name       `xml:"service_requests"`
	Requests []TokenRequest `xml:"request"`
}

// Error is one Open311 error; Code is the HTTP status it came with.
type Error struct {
	XMLName     xml.Name `xml:"error" json:"-"`
	Code        int      `xml:"code" json:"code"`
	Description string   `xml:"description" json:"description"`
}

// Errors is the XML document of an error answer.
type Errors struct {
	XMLName xml.Name `xml:"errors"`
	Errors  []Error  `xml:"error"`
}

// Discovery is the service discovery document.
type Discovery struct {
	XMLName    xml.Name   `xml:"discovery" json:"-"`
	Changeset  Datetime   `xml:"changeset" json:"changeset"`
	Contact    string     `xml:"contact" json:"contact"`
	KeyService string     `xml:"key_service" json:"key_service"`
	Endpoints  []Endpoint `xml:"endpoints>endpoint" json:"endpoints"`
}

// Endpoint is one API endpoint listed by discovery.
type Endpoint struct {
	Specification string   `xml:"specification" json:"specification"`
	URL           string   `xml:"url" json:"url"`
	Changeset     Datetime `xml:"changeset" json:"changeset"`
	Type          string   `xml:"type" json:"type"`
	Formats       []string `xml:"formats>format" json:"formats"`
}
