package promise

import (
	"strings"
	"testing"
)

func TestParseSurveysCSV(t *testing.T) {
	in := "area,year,indicator,value,n\n,2024,trygg_kvall,\"61,5\",812\nCentrum,2025,trygg_kvall,58,120\n"
	got, err := ParseSurveysCSV(strings.NewReader(in))
	if err != nil || len(got) != 2 || got[0].Value != 61.5 || got[0].Area != "" || *got[0].N != 812 || got[1].Area != "Centrum" || got[1].Year != 2025 {
		t.Fatalf("%+v %v", got, err)
	}
	for name, bad := range map[string]string{
		"no value column": "year,indicator\n2024,x\n",
		"bad year":        "year,indicator,value\n24,x,1\n",
		"bad value":       "year,indicator,value\n2024,x,hög\n",
		"empty indicator": "year,indicator,value\n2024,,1\n",
		"negative n":      "year,indicator,value,n\n2024,x,1,-3\n",
	} {
		if _, err := ParseSurveysCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
