package delivery

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestOpen311Delivery(t *testing.T) {
	id := uuid.New()
	var got http.Header
	var form map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		form = map[string]string{}
		for k := range r.PostForm {
			form[k] = r.PostForm.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`[{"service_request_id":"4711","service_notice":"ok"}]`))
	}))
	defer srv.Close()
	j := Job{
		Delivery:    Delivery{ID: id},
		Destination: Destination{Kind: KindOpen311, URL: srv.URL + "/requests.json", APIKey: "k3y"},
		Report:      Report{Reference: "K7Q9-XM2A", Category: "FEL.LIGHT", Lat: 59.3096, Lon: 14.1086, Description: "Trasig lampa"},
	}
	remote, err := Sender{}.Send(context.Background(), j, 3)
	if err != nil || remote != "4711" {
		t.Fatalf("Send = %q, %v", remote, err)
	}
	want := map[string]string{"service_code": "FEL.LIGHT", "lat": "59.3096", "long": "14.1086", "api_key": "k3y",
		"device_id": "trygg-delivery-" + id.String()}
	for k, v := range want {
		if form[k] != v {
			t.Errorf("form %s = %q, want %q", k, form[k], v)
		}
	}
	if !strings.Contains(form["description"], "Trasig lampa") || !strings.Contains(form["description"], "K7Q9-XM2A") {
		t.Errorf("description %q", form["description"])
	}
	if got.Get(HeaderDelivery) != id.String() || got.Get("Idempotency-Key") != id.String() || got.Get(HeaderAttempt) != "3" {
		t.Errorf("headers %v", got)
	}

	// A configured service code wins over the category; a 5xx is an error.
	j.Destination.ServiceCode = "streetlight"
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("service_code") != "streetlight" {
			t.Errorf("service_code %q", r.PostForm.Get("service_code"))
		}
		http.Error(w, "down", http.StatusBadGateway)
	}))
	defer failing.Close()
	j.Destination.URL = failing.URL
	if _, err := (Sender{}).Send(context.Background(), j, 1); err == nil || !strings.Contains(err.Error(), "502") {
		t.Fatalf("Send to a failing server: %v", err)
	}
}
