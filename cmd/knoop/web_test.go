package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"knoop/adapters/slack/slackfake"
)

var signinLinkRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/signin\?t=[A-Za-z0-9_-]+`)

// signInWith opens a sign-in link as a browser would (the confirm page,
// then the button) and returns a client holding the session cookie.
func signInWith(t *testing.T, link string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: runWait}
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `action="/signin"`) {
		t.Fatalf("sign-in page: %d %s", resp.StatusCode, page)
	}
	u, _ := url.Parse(link)
	resp, err = c.PostForm(u.Scheme+"://"+u.Host+"/signin", url.Values{"t": {u.Query().Get("t")}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Signed in as") {
		t.Fatalf("after sign-in: %d %s", resp.StatusCode, body)
	}
	return c
}

// `knoop run` serves the page on [http] listen when [web] listen is the
// same address; `web` in Slack sends the link privately.
func TestRunServesTheNetworkPage(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	r := startRun(t, fake, map[string]string{"KNOOP_WEB_LISTEN": "127.0.0.1:0"})
	_, env := mention(fake, "EvWeb1", "UANNA", "web")
	fake.WaitAck(env, runWait)
	var link string
	waitFor(t, "the sign-in link, privately", func() bool {
		for _, c := range fake.Calls("chat.postEphemeral") {
			if m := signinLinkRE.FindString(c.Get("text")); m != "" && c.Get("user") == "UANNA" {
				link = m
			}
		}
		return link != ""
	})
	for _, c := range fake.Calls("chat.postMessage") {
		if strings.Contains(c.Get("text"), "/signin?t=") {
			t.Errorf("the sign-in link was posted in the channel: %q", c.Get("text"))
		}
	}
	if u, _ := url.Parse(link); u.Host != r.httpAddr() {
		t.Errorf("link %s is not on the shared listener %s", link, r.httpAddr())
	}
	client := signInWith(t, link)
	resp, err := client.Get("http://" + r.httpAddr() + "/directory")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("/directory: %d %v", resp.StatusCode, resp.Header)
	}
	if code, body := r.get("/healthz"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz beside the page: %d %q", code, body)
	}
	if code := r.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

// `knoop console --web on` serves the page on a free local port and prints
// the console member's sign-in link on stderr, never on stdout.
func TestConsoleServesTheNetworkPage(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	pr, pw := io.Pipe()
	errR, errW := io.Pipe()
	var stdout syncBuffer
	empty := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "KNOOP_CONFIG": empty, "USER": "tester"}
	done := make(chan int, 1)
	go func() {
		done <- runMain(t.Context(), []string{"console", "--web", "on", "--as", "anna", "--org", "TU Delft"}, pr, &stdout, errW, envOf(env))
		errW.Close()
	}()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(errR)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var link string
	deadline := time.After(runWait)
	for link == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("console ended without a link; stdout:\n%s", stdout.String())
			}
			link = signinLinkRE.FindString(l)
		case <-deadline:
			t.Fatal("no sign-in link on stderr")
		}
	}
	client := signInWith(t, link)
	resp, err := client.Get(strings.Split(link, "/signin")[0] + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "Signed in as anna") {
		t.Errorf("overview as anna: %s", body)
	}
	if _, err := io.WriteString(pw, "web\n"); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("console exit %d", code)
		}
	case <-time.After(runWait):
		t.Fatal("console did not end with its input")
	}
	if out := stdout.String(); !strings.Contains(out, "Your personal link to the network page") || strings.Count(out, "/signin?t=") != 1 {
		t.Errorf("`web` in the console:\n%s", out)
	}
}

// A piped console script (no terminal) starts no page and prints nothing
// about it: its output stays exactly the replies.
func TestPipedConsoleHasNoPage(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	_, _ = pw.WriteString("web\n")
	pw.Close()
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": dbURL}, pr, "console", "--as", "anna")
	if r.code != 0 || strings.Contains(r.stderr, "Network page") || !strings.Contains(r.stdout, "not switched on") {
		t.Errorf("piped console: %v", r)
	}
}
