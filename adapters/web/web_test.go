package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"knoop/adapters/web"
	"knoop/bot"
	"knoop/bot/bottest"
)

// fixture is a seeded network with the page served on it.
type fixture struct {
	t   *testing.T
	h   *bottest.Harness
	srv *web.Server
	bot *bot.Bot // mints links like the `web` command
}

// setup seeds a network: bottest's digest network (two goals, anna of
// Havenbedrijf Rotterdam, bob of TU Delft, commitments, an open ask),
// plus work between the two organisations (a delivery from anna to bob,
// an endorsement) and an organisation nobody works with yet.
func setup(t *testing.T, baseURL string) *fixture {
	t.Helper()
	h := bottest.New(t)
	bottest.SeedNetwork(t, h)
	h.Clock.Set(bottest.Start.AddDate(0, 0, -1))
	for _, l := range []struct{ user, text string }{
		{"anna", "commit send the route data to @bob by 2026-12-04 for goal 1"},
		{"anna", "done 5 sent"},
		{"bob", "endorse @anna cold chain"},
		{"erik", "org Gemeente Den Haag"},
		{"erik", "skills add permits, vergunningen"},
		{"anna", "done 2 report shared"},
	} {
		if got := h.SayText(l.user, l.text); strings.Contains(got, "Sorry") || strings.Contains(got, "no commitment") {
			t.Fatalf("%s: %q → %q", l.user, l.text, got)
		}
	}
	h.Clock.Set(bottest.Start)
	srv, err := web.New(h.Store, web.Options{BaseURL: baseURL, Now: h.Clock.Now, Log: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(h.Store, bottest.Logger(t), bot.WithClock(h.Clock.Now), bot.WithWebURL(baseURL))
	return &fixture{t: t, h: h, srv: srv, bot: b}
}

// link returns a fresh sign-in token for user, as `web` sends it.
func (f *fixture) link(user string) string {
	f.t.Helper()
	link, err := f.bot.WebLink(context.Background(), f.h.Message(user, ""))
	if err != nil {
		f.t.Fatal(err)
	}
	u, err := url.Parse(link)
	if err != nil {
		f.t.Fatal(err)
	}
	return u.Query().Get("t")
}

// do runs one request through the page's handler.
func (f *fixture) do(method, target string, cookie *http.Cookie, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// signIn redeems a link for user and returns the session cookie.
func (f *fixture) signIn(user string) *http.Cookie {
	f.t.Helper()
	rec := f.do("POST", "/signin", nil, url.Values{"t": {f.link(user)}})
	if rec.Code != http.StatusSeeOther {
		f.t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "knoop_session" && c.Value != "" {
			return c
		}
	}
	f.t.Fatal("sign in set no session cookie")
	return nil
}

var pages = []string{"/", "/directory", "/directory?q=cold+chain", "/commitments", "/connections", "/goals/1"}

func TestPagesNeedASession(t *testing.T) {
	f := setup(t, "http://knoop.test")
	for _, p := range pages {
		for _, c := range []*http.Cookie{nil, {Name: "knoop_session", Value: "not-a-session"}} {
			rec := f.do("GET", p, c, nil)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with cookie %v: %d, want 401", p, c, rec.Code)
			}
			body := rec.Body.String()
			if !strings.Contains(body, "Type `web` to Knoop") {
				t.Errorf("%s: no sign-in explanation: %s", p, body)
			}
			for _, secret := range []string{"Halve empty truck", "Anna", "Havenbedrijf", "business case"} {
				if strings.Contains(body, secret) {
					t.Errorf("%s without a session shows %q", p, secret)
				}
			}
		}
	}
	// A session works for every page.
	c := f.signIn("anna")
	for _, p := range pages {
		if rec := f.do("GET", p, c, nil); rec.Code != http.StatusOK {
			t.Errorf("%s signed in: %d %s", p, rec.Code, rec.Body)
		}
	}
}

func TestSignInLinks(t *testing.T) {
	f := setup(t, "http://knoop.test")
	tok := f.link("anna")

	// Opening the link does not use it up (link previews fetch it too).
	for range 2 {
		rec := f.do("GET", "/signin?t="+tok, nil, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Sign in as Anna?") {
			t.Fatalf("GET sign-in page: %d %s", rec.Code, rec.Body)
		}
	}
	rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Fatalf("POST sign in: %d %v", rec.Code, rec.Header())
	}
	setCookie := rec.Header().Get("Set-Cookie")
	for _, want := range []string{"knoop_session=", "HttpOnly", "SameSite=Lax", "Max-Age=2592000", "Path=/"} {
		if !strings.Contains(setCookie, want) {
			t.Errorf("cookie %q lacks %s", setCookie, want)
		}
	}
	if strings.Contains(setCookie, "Secure") {
		t.Errorf("cookie over plain HTTP is Secure (the browser would drop it): %q", setCookie)
	}

	// Used: a second sign-in with the same link fails, also its page.
	if rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}}); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "used already") {
		t.Errorf("reused link: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("GET", "/signin?t="+tok, nil, nil); rec.Code != http.StatusGone {
		t.Errorf("page of a used link: %d", rec.Code)
	}

	// Expired: a link is good for 15 minutes.
	tok = f.link("bob")
	f.h.Clock.Advance(15*time.Minute + time.Second)
	if rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}}); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "expired") {
		t.Errorf("expired link: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}}); rec.Code != http.StatusGone {
		t.Errorf("expired link, again: %d", rec.Code)
	}

	// Nonsense and cross-site posts change nothing.
	for _, bad := range []string{"", "x", strings.Repeat("a", 500)} {
		if rec := f.do("POST", "/signin", nil, url.Values{"t": {bad}}); rec.Code < 400 {
			t.Errorf("token %q: %d", bad, rec.Code)
		}
	}
	tok = f.link("bob")
	req := httptest.NewRequest("POST", "/signin", strings.NewReader("t="+tok))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	xrec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(xrec, req)
	if xrec.Code != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", xrec.Code)
	}
	req = httptest.NewRequest("POST", "/signin", strings.NewReader("t="+tok))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "null")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	xrec = httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(xrec, req)
	if xrec.Code != http.StatusForbidden {
		t.Errorf("cross-site sign-in (Sec-Fetch-Site): %d", xrec.Code)
	}
	if rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}}); rec.Code != http.StatusSeeOther {
		t.Errorf("the link refused cross-site must still work here: %d", rec.Code)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	f := setup(t, "https://knoop.example.org")
	rec := f.do("POST", "/signin", nil, url.Values{"t": {f.link("anna")}})
	if c := rec.Header().Get("Set-Cookie"); !strings.Contains(c, "; Secure") {
		t.Errorf("cookie over HTTPS is not Secure: %q", c)
	}
}

func TestSessionsEnd(t *testing.T) {
	f := setup(t, "http://knoop.test")
	// Sign out on the page.
	c := f.signIn("anna")
	rec := f.do("POST", "/signout", c, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("sign out: %d %v", rec.Code, rec.Header())
	}
	if rec := f.do("GET", "/", c, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("after sign out: %d", rec.Code)
	}
	// `web signout` in chat ends every browser's session.
	c1, c2 := f.signIn("anna"), f.signIn("anna")
	f.h.Bot = f.bot
	if got := f.h.SayText("anna", "web signout"); !strings.Contains(got, "2 sessions") {
		t.Errorf("web signout: %q", got)
	}
	for _, c := range []*http.Cookie{c1, c2} {
		if rec := f.do("GET", "/", c, nil); rec.Code != http.StatusUnauthorized {
			t.Errorf("after web signout: %d", rec.Code)
		}
	}
	// Thirty days.
	c = f.signIn("bob")
	f.h.Clock.Advance(30*24*time.Hour - time.Minute)
	if rec := f.do("GET", "/", c, nil); rec.Code != http.StatusOK {
		t.Errorf("a day before expiry: %d", rec.Code)
	}
	f.h.Clock.Advance(2 * time.Minute)
	if rec := f.do("GET", "/", c, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("after 30 days: %d", rec.Code)
	}
	// forget me.
	c = f.signIn("bob")
	f.h.Say("bob", "forget me confirm")
	if rec := f.do("GET", "/", c, nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("after forget me: %d", rec.Code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := setup(t, "http://knoop.test")
	c := f.signIn("anna")
	for _, p := range append(pages, "/static/style.css", "/signin?t=x", "/nope") {
		rec := f.do("GET", p, c, nil)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %s", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
			t.Errorf("%s: CSP allows scripts or inline: %q", p, csp)
		}
		for k, v := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", p, k, h.Get(k), v)
			}
		}
		body := rec.Body.String()
		if strings.Contains(body, "<script") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("%s has a script or inline style", p)
		}
	}
}

func TestGuestSeesWhatGuestsSee(t *testing.T) {
	f := setup(t, "http://knoop.test")
	m, err := f.h.Store.EnsureMember(context.Background(), 1, "console", "bob", "Bob")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := f.h.Store.NewSignInLink(context.Background(), m.ID, true, f.h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec := f.do("POST", "/signin", nil, url.Values{"t": {tok}})
	c := rec.Result().Cookies()[0]
	get := func(p string) string {
		rec := f.do("GET", p, c, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", p, rec.Code)
		}
		return rec.Body.String()
	}
	// The search answers, as a who-question in chat does.
	if body := get("/directory?q=cold+chain"); !strings.Contains(body, "Anna") || strings.Contains(body, "Gemeente Den Haag") {
		t.Errorf("guest directory search: %s", body)
	}
	// Own commitments, not everyone's.
	body := get("/commitments")
	if !strings.Contains(body, "safety case") || strings.Contains(body, "route plan") {
		t.Errorf("guest board shows others' commitments: %s", body)
	}
	if body := get("/connections"); strings.Contains(body, "TU Delft —") || !strings.Contains(body, "for members of the network") {
		t.Errorf("guest connections: %s", body)
	}
	if body := get("/"); !strings.Contains(body, "You are a guest") {
		t.Errorf("guest overview lacks the guest note")
	}
}

func TestMemberTextIsEscaped(t *testing.T) {
	f := setup(t, "http://knoop.test")
	evil := []struct{ user, text string }{
		{"mallory", "org javascript:alert(1)"},
		{"mallory", `skills add <img src=x onerror=alert(1)>, cold chain`},
		{"mallory", `commit <script>alert(2)</script> by 2026-12-10 for goal 1`},
		{"mallory", `ask "><svg onload=alert(3)>`},
	}
	f.h.Message("mallory", "")
	for _, e := range evil {
		msg := f.h.Message(e.user, e.text)
		msg.UserName = "<script>alert(0)</script>"
		f.h.Bot.Handle(context.Background(), msg)
	}
	c := f.signIn("anna")
	raw := []string{"<script>alert", "<img src=x", "<svg onload", `href="javascript:`, "<b>"}
	for _, p := range append(pages, "/directory?q=%3Cscript%3Ealert(9)%3C/script%3E", "/directory?q=cold+chain+%3Cb%3E") {
		rec := f.do("GET", p, c, nil)
		body := rec.Body.String()
		for _, r := range raw {
			if strings.Contains(body, r) {
				i := strings.Index(body, r)
				t.Errorf("%s contains raw %q: …%s…", p, r, body[max(0, i-200):min(len(body), i+100)])
			}
		}
	}
	body := f.do("GET", "/directory", c, nil).Body.String()
	if !strings.Contains(body, "&lt;script&gt;alert(0)&lt;/script&gt;") || !strings.Contains(body, "javascript:alert(1)") {
		t.Errorf("the member's name and organisation should show, as text")
	}
}

// TestSearchAnswersLikeChat: the directory's search gives the members and
// why-lines the who-command gives in chat.
func TestSearchAnswersLikeChat(t *testing.T) {
	f := setup(t, "http://knoop.test")
	c := f.signIn("bob")
	for _, q := range []string{"cold chain", "koelketen", "hydrogen", "vergunningen"} {
		chat := f.h.Say("bob", "who "+q)
		page := html.UnescapeString(f.do("GET", "/directory?q="+url.QueryEscape(q), c, nil).Body.String())
		n := 0
		for i, b := range chat.Blocks {
			switch b.Kind {
			case bot.Item:
				name := strings.SplitN(b.Text, " — ", 2)[0]
				if !strings.Contains(page, name) {
					t.Errorf("%q: page lacks %s", q, name)
				}
				n++
			case bot.Context:
				if i > 0 && !strings.Contains(page, b.Text) {
					t.Errorf("%q: page lacks the why-line %q", q, b.Text)
				}
			}
		}
		if n == 0 {
			t.Errorf("%q: chat found nobody; the test needs an answer", q)
		}
	}
	if page := f.do("GET", "/directory?q=nuclear+fusion", c, nil).Body.String(); !strings.Contains(page, "Nobody with evidence") {
		t.Errorf("no answer: %s", regexp.MustCompile(`(?s)<main.*</main>`).FindString(page))
	}
}
