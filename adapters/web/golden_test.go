package web_test

import (
	"net/http"
	"regexp"
	"testing"

	"knoop/bot/bottest"
)

// TestGoldenPages compares each page, as anna sees it, with its golden
// HTML in testdata (UPDATE_GOLDEN=1 rewrites them, as for the digests).
func TestGoldenPages(t *testing.T) {
	f := setup(t, "http://knoop.test")
	tokenRE := regexp.MustCompile(`name="t" value="[^"]+"`)
	c := f.signIn("anna")
	for _, p := range []struct{ file, path string }{
		{"overview_en.html", "/"},
		{"directory_en.html", "/directory?q=cold+chain"},
		{"commitments_en.html", "/commitments"},
		{"connections_en.html", "/connections"},
		{"goal_en.html", "/goals/1"},
	} {
		rec := f.do("GET", p.path, c, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", p.path, rec.Code)
		}
		bottest.Golden(t, "testdata/"+p.file, rec.Body.String())
	}
	// Dutch, for a member who chose it.
	f.h.Say("bob", "taal nl")
	c = f.signIn("bob")
	for _, p := range []struct{ file, path string }{
		{"overview_nl.html", "/"},
		{"directory_nl.html", "/directory?q=koelketen"},
		{"commitments_nl.html", "/commitments?goal=2"},
	} {
		rec := f.do("GET", p.path, c, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", p.path, rec.Code)
		}
		bottest.Golden(t, "testdata/"+p.file, rec.Body.String())
	}
	signin := f.do("GET", "/signin?t="+f.link("anna"), nil, nil).Body.String()
	bottest.Golden(t, "testdata/signin_en.html", tokenRE.ReplaceAllString(signin, `name="t" value="TOKEN"`))
	bottest.Golden(t, "testdata/signin_needed_en.html", f.do("GET", "/", nil, nil).Body.String())
}
