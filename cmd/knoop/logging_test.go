package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"

	"knoop/adapters/slack/slackfake"
)

// badHomeserver refuses every token and password, recording what it got.
type badHomeserver struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string // Authorization headers and request bodies
}

func newBadHomeserver(t *testing.T) *badHomeserver {
	hs := &badHomeserver{}
	hs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		hs.mu.Lock()
		hs.seen = append(hs.seen, r.Header.Get("Authorization"), string(body))
		hs.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/login") {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errcode":"M_FORBIDDEN","error":"Invalid username or password"}`))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errcode":"M_UNKNOWN_TOKEN","error":"Unknown token"}`))
	}))
	t.Cleanup(hs.Close)
	return hs
}

func (hs *badHomeserver) got(s string) bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	for _, x := range hs.seen {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// Bot tokens, app tokens, signing secrets, Matrix passwords and access
// tokens never reach the log, not even at debug level and when they are
// refused; /readyz does not show them either.
func TestRunNeverLogsSecrets(t *testing.T) {
	t.Parallel()
	secrets := map[string]string{
		"bot token":      "xoxb-SECRET-bot-4f1c9a",
		"app token":      "xapp-1-SECRET-app-77d2e0",
		"signing secret": "SECRET-signing-0b3e5f",
		"access token":   "syt_SECRET_access_a91c",
		"password":       "SECRET-password-5d6e",
	}
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	hs := newBadHomeserver(t)
	cfgFile := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(cfgFile, []byte(`
[slack]
bot_token = "`+secrets["bot token"]+`"
app_token = "`+secrets["app token"]+`"
signing_secret = "`+secrets["signing secret"]+`"
[matrix]
homeserver = "`+hs.URL+`"
user_id = "@knoop:localhost"
access_token = "`+secrets["access token"]+`"
password = "`+secrets["password"]+`"
`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, fake, map[string]string{"KNOOP_CONFIG": cfgFile, "KNOOP_SLACK_BOT_TOKEN": "", "KNOOP_SLACK_APP_TOKEN": ""})
	waitFor(t, "the matrix login attempt", func() bool { return hs.got(secrets["password"]) })
	_, ready := r.waitGet("/readyz", func(code int, body string) bool {
		return code == 503 && strings.Contains(body, "FAIL matrix") && strings.Contains(body, "ok slack")
	})
	ts, env := mention(fake, "EvSecret1", "UANNA", "skills add secrecy")
	fake.WaitAck(env, runWait)
	if len(replyIn(fake, ts)) != 1 {
		t.Errorf("no answer on Slack")
	}
	code := r.stop()

	// The secrets were used …
	if tok := fake.Calls("auth.test")[0].Token; tok != secrets["bot token"] {
		t.Errorf("auth.test token %q", tok)
	}
	if !hs.got("Bearer " + secrets["access token"]) {
		t.Errorf("the homeserver never saw the access token")
	}
	// … and never shown.
	out := r.stderr.String() + ready
	for what, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the %s appears in the log or /readyz", what)
		}
	}
	if !strings.Contains(r.stderr.String(), `"level":"DEBUG"`) {
		t.Errorf("no debug lines: the test did not look at debug level")
	}
	if !strings.Contains(r.stderr.String(), `"event":"EvSecret1"`) {
		t.Errorf("no log line carries the event id")
	}
	t.Logf("exit %d; /readyz:\n%s", code, ready)
}

// format auto is JSON when stderr is not a terminal; text and json as
// asked.
func TestLoggerFormats(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		format string
		w      io.Writer
		json   bool
	}{
		{"auto", &bytes.Buffer{}, true},
		{"auto", f, true}, // a file is not a terminal
		{"text", &bytes.Buffer{}, false},
		{"json", &bytes.Buffer{}, true},
	} {
		cfg := defaultConfig()
		cfg.Log.Format = tc.format
		var buf bytes.Buffer
		w := tc.w
		if _, ok := w.(*os.File); !ok {
			w = &buf
		}
		env{stderr: w}.logger(cfg, false).Info("hello")
		var out []byte
		if _, ok := w.(*os.File); ok {
			out, _ = os.ReadFile(f.Name())
		} else {
			out = buf.Bytes()
		}
		var m map[string]any
		if isJSON := json.Unmarshal(out, &m) == nil; isJSON != tc.json {
			t.Errorf("format %s to %T: %q", tc.format, tc.w, out)
		}
	}
}
