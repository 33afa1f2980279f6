package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

func TestOpen311DiscoveryAndServices(t *testing.T) {
	t.Parallel()
	ts := newOpen311Server(t, nil)
	for _, f := range o311Formats {
		w := ts.do(http.MethodGet, "/open311/v2/discovery."+f, nil)
		if w.Code != 200 {
			t.Fatalf("discovery.%s %d", f, w.Code)
		}
		o311SameShape(t, w, f, "discovery")

		w = ts.do(http.MethodGet, "/open311/v2/services."+f+"?jurisdiction_id=1781", nil)
		if w.Code != 200 {
			t.Fatalf("services.%s %d %s", f, w.Code, w.Body)
		}
		o311SameShape(t, w, f, "services")
		body := w.Body.String()
		for _, want := range []string{"OTR.PLACE.LIGHT", "FEL.LIGHT", "OTR.SOC.DRUGS", "felanmälan", "otrygghet"} {
			if !strings.Contains(body, want) {
				t.Errorf("services.%s lacks %s", f, want)
			}
		}
		for _, group := range []string{`"OTR.PLACE"`, `>OTR.PLACE<`, `"FEL"`, `>FEL<`} {
			if strings.Contains(body, group) {
				t.Errorf("services.%s lists the group category %s", f, group)
			}
		}

		w = ts.do(http.MethodGet, "/open311/v2/services."+f+"?jurisdiction_id=9999", nil)
		if w.Code != 404 {
			t.Errorf("unknown jurisdiction: %d", w.Code)
		}
		open311Error(t, f, w)

		w = ts.do(http.MethodGet, "/open311/v2/services/OTR.PLACE.LIGHT."+f, nil)
		if w.Code != 200 {
			t.Fatalf("definition.%s %d %s", f, w.Code, w.Body)
		}
		o311SameShape(t, w, f, "service_definition")
		for _, want := range []string{"feeling", "time_of_day", "singlevaluelist", "evening"} {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("definition.%s lacks %s", f, want)
			}
		}
		w = ts.do(http.MethodGet, "/open311/v2/services/FEL.LIGHT."+f, nil)
		if w.Code != 200 || strings.Contains(w.Body.String(), "feeling") {
			t.Errorf("felanmälan definition.%s: %d %s", f, w.Code, w.Body)
		}
		for _, code := range []string{"NOPE", "OTR.PLACE", "FEL"} {
			w = ts.do(http.MethodGet, "/open311/v2/services/"+code+"."+f, nil)
			if w.Code != 404 {
				t.Errorf("definition of %s.%s: %d, want 404", code, f, w.Code)
			}
			open311Error(t, f, w)
		}
	}
	w := ts.do(http.MethodGet, "/open311/v2/services/FEL.LIGHT", nil)
	if w.Code != 404 {
		t.Errorf("definition without format: %d", w.Code)
	}
	open311Error(t, "xml", w)
}
