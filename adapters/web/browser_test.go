package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"knoop/adapters/web"
	"knoop/bot"
	"knoop/bot/bottest"
)

// chromium finds a headless-capable Chromium. Without one the browser
// test skips, except in CI (CI=true), where it must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed, and CI=true needs the browser test: install the Debian packages chromium and chromium-driver (.ci/run does)")
	}
	t.Skip("Chromium is not installed (Debian: apt-get install chromium chromium-driver); the browser test skips outside CI")
	return ""
}

// artifacts is where the screenshots go: KNOOP_ARTIFACTS, or the test's
// temporary directory.
func artifacts(t *testing.T) string {
	dir := os.Getenv("KNOOP_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// seedDemo gives the network some history: work delivered over the last
// weeks, so the goal charts and the graph have something to show.
func seedDemo(t *testing.T, f *fixture) {
	t.Helper()
	h := f.h
	h.Coordinators["carol"] = true
	start := bottest.Start
	say := func(daysAgo int, user, text string) {
		t.Helper()
		h.Clock.Set(start.AddDate(0, 0, -daysAgo))
		if got := h.SayText(user, text); strings.Contains(got, "Sorry") || strings.Contains(got, "There is no") {
			t.Fatalf("%s: %q → %q", user, text, got)
		}
	}
	say(80, "carol", "charter We connect port logistics, horticulture and energy in the Rotterdam–The Hague region, so that partners deliver together what none can alone.")
	say(80, "carol", "goal add Cut emissions of the port's cold chain by 20% in 2027")
	say(79, "carol", "org Gemeente Rotterdam")
	say(79, "fleur", "org Greenport West-Holland")
	say(79, "fleur", "skills add greenhouse energy, koelketen, subsidies")
	say(78, "gijs", "org Erasmus University")
	say(78, "gijs", "skills add supply chain analytics, python, cold chain")
	say(77, "hanna", "org Eneco")
	say(77, "hanna", "skills add battery storage, grid congestion")
	n := 5 // commitments made by setup so far
	commit := func(daysAgo int, user, text string, doneAfter int) {
		t.Helper()
		n++
		say(daysAgo, user, "commit "+text)
		if doneAfter >= 0 {
			say(daysAgo-doneAfter, user, "done "+strconv.Itoa(n)+" delivered")
		}
	}
	commit(75, "gijs", "cold-chain baseline study for goal 3 to @anna", 20)
	commit(70, "fleur", "greenhouse heat map for goal 3 to @gijs", 30)
	commit(60, "hanna", "battery pilot plan for goal 2 to @bob", 25)
	commit(50, "anna", "reefer plug data for goal 3 to @gijs", 10)
	commit(45, "bob", "hydrogen safety review for goal 2 by 2026-11-20", -1)
	commit(40, "gijs", "emission model v1 for goal 3 to @fleur", 12)
	commit(30, "fleur", "subsidy scan for goal 1 to @carol", 8)
	commit(20, "hanna", "grid capacity study for goal 2 by 2026-12-03", -1)
	commit(14, "gijs", "dashboard for goal 3 by 2026-12-18", -1)
	commit(10, "anna", "shore power business case for goal 3 to @hanna", 5)
	say(9, "gijs", "endorse @fleur koelketen")
	say(8, "anna", "endorse @gijs cold chain")
	say(7, "hanna", "endorse @bob hydrogen")
	h.Clock.Set(start)
}

// TestBrowser signs in through a link in a real (headless) Chromium,
// searches the directory, opens a goal, and saves a screenshot of each
// page at desktop and phone width.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	out := artifacts(t)
	f := setup(t, "http://placeholder")
	seedDemo(t, f)
	ts := httptest.NewServer(nil)
	defer ts.Close()
	srv, err := web.New(f.h.Store, web.Options{BaseURL: ts.URL, Now: f.h.Clock.Now, Log: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	b := bot.New(f.h.Store, bottest.Logger(t), bot.WithClock(f.h.Clock.Now), bot.WithWebURL(ts.URL))
	link, err := b.WebLink(context.Background(), f.h.Message("anna", ""))
	if err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTime()

	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	// Sign in: the link shows a confirm page; the button signs in.
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#signin"))); err != nil {
		t.Fatalf("open the sign-in link: %v", err)
	}
	shoot("signin-desktop")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS("nav a[aria-current=page]"))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if got := text(".who"); !strings.Contains(got, "Signed in as Anna") {
		t.Errorf("after sign-in the header says %q", got)
	}
	// The stylesheet applies under the CSP.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.top")).backgroundColor`))
	if err != nil {
		t.Fatal(err)
	}
	if bg != "rgb(19, 41, 75)" {
		t.Errorf("header background %q: the stylesheet did not load", bg)
	}
	shoot("overview-desktop")

	// Search the directory as "who is good at cold chain".
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/directory"),
		chromedp.SendKeys(chromedp.CSS("#q"), "cold chain"),
		chromedp.Submit(chromedp.CSS("#q")),
		chromedp.WaitVisible(chromedp.CSS("#answer"))); err != nil {
		t.Fatalf("search: %v", err)
	}
	answer := text("#answer")
	for _, want := range []string{"Good at “cold chain”", "Anna", "Gijs", "declared: cold chain"} {
		if !strings.Contains(answer, want) {
			t.Errorf("search answer lacks %q:\n%s", want, answer)
		}
	}
	shoot("directory-desktop")
	// The search and its answer alone (the README shows it).
	card, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("main > section.card")))
	if err != nil {
		t.Fatalf("screenshot of the search: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, "directory-search.png"), card, 0o644); err != nil {
		t.Fatal(err)
	}

	// Open a goal from the overview.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/goals/3"]`)),
		chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatalf("open goal 3: %v", err)
	}
	if got := text("h1"); !strings.Contains(got, "Goal 3: Cut emissions") {
		t.Errorf("goal page heading %q", got)
	}
	if got := text("main"); !strings.Contains(got, "shore power business case") {
		t.Errorf("goal 3 lacks its commitments:\n%s", got)
	}
	shoot("goal-desktop")
	for _, p := range []struct{ path, name string }{{"/commitments", "commitments"}, {"/connections", "connections"}} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		shoot(p.name + "-desktop")
	}

	// A phone: every page fits its width (nothing scrolls sideways).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ path, name string }{
		{"/", "overview"}, {"/directory?q=koelketen", "directory"}, {"/goals/3", "goal"},
		{"/commitments", "commitments"}, {"/connections", "connections"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+p.path), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s on a phone: %v", p.path, err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if err != nil {
			t.Fatal(err)
		}
		if overflow {
			t.Errorf("%s is wider than a phone's screen", p.path)
		}
		shoot(p.name + "-phone")
	}
	t.Logf("screenshots in %s", out)
}
