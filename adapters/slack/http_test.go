package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"knoop/bot"
)

// Slack's published signing example (also used by Slack's own SDK tests).
const (
	exampleSecret    = "8f742231b10e8888abcd99yyyzzz85a5"
	exampleTimestamp = "1531420618"
	exampleBody      = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	exampleSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

// recorder is a handler that records what reached it: these tests are
// about the HTTP edge, not about what the core answers.
type recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
}

func (r *recorder) Handle(_ context.Context, m bot.Message) bot.Reply {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	return bot.Reply{Blocks: []bot.Block{{Kind: bot.Text, Text: "answer to " + m.Text}}}
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

func httpAdapter(t *testing.T, secret string) *Adapter {
	t.Helper()
	a, err := New(Config{BotToken: "xoxb-test", Mode: "http", SigningSecret: secret, APIURL: "http://127.0.0.1:1/"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	// No users.info in these tests: the cache answers for the example user.
	a.users.Store("U2CERLKJA", cachedUser{name: "roadrunner", at: time.Now().Add(1000 * time.Hour)})
	// Nor conversations.info: the tests' channels are not shared.
	for _, ch := range []string{"G8PSS9T3V", "C1"} {
		a.channels.Store(ch, cachedChannel{at: time.Now().Add(1000 * time.Hour)})
	}
	a.now = func() time.Time { return time.Unix(1531420618, 0) }
	return a
}

func post(h http.Handler, path, body, ts, sig string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func sign(secret, ts, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func TestHTTPAcceptsSlacksSigningExample(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The bubble's clock starts in 2000; move it to a minute after
		// Slack's example was signed.
		time.Sleep(time.Until(time.Unix(1531420618+60, 0)))
		rec := &recorder{}
		h := httpAdapter(t, exampleSecret).Handler(t.Context(), rec)

		w := post(h, "/slack/commands", exampleBody, exampleTimestamp, exampleSignature)
		if w.Code != http.StatusOK || rec.count() != 1 {
			t.Fatalf("signed example: status %d, %d messages; body %s", w.Code, rec.count(), w.Body)
		}
		if !strings.Contains(w.Body.String(), `"response_type"`) {
			t.Errorf("slash command answered without a response payload: %s", w.Body)
		}

		tampered := strings.Replace(exampleBody, "text=", "text=forget+me+confirm", 1)
		if w := post(h, "/slack/commands", tampered, exampleTimestamp, exampleSignature); w.Code != http.StatusUnauthorized {
			t.Errorf("tampered body: status %d, want 401", w.Code)
		}
		if w := post(h, "/slack/commands", exampleBody, exampleTimestamp, "v0=00"); w.Code != http.StatusUnauthorized {
			t.Errorf("wrong signature: status %d, want 401", w.Code)
		}
		if w := post(h, "/slack/commands", exampleBody, "", exampleSignature); w.Code != http.StatusUnauthorized {
			t.Errorf("no timestamp: status %d, want 401", w.Code)
		}
		if rec.count() != 1 {
			t.Fatalf("a rejected request reached the bot: %d messages", rec.count())
		}

		// Ten minutes later the same request is a replay.
		time.Sleep(10 * time.Minute)
		if w := post(h, "/slack/commands", exampleBody, exampleTimestamp, exampleSignature); w.Code != http.StatusUnauthorized {
			t.Errorf("stale timestamp: status %d, want 401", w.Code)
		}
		if rec.count() != 1 {
			t.Fatalf("a stale request reached the bot")
		}
	})
}

func TestHTTPEventsEndpoint(t *testing.T) {
	const secret = "s3cret"
	rec := &recorder{}
	h := httpAdapter(t, secret).Handler(t.Context(), rec)
	now := fmt.Sprint(time.Now().Unix())

	challenge := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	w := post(h, "/slack/events", challenge, now, sign(secret, now, challenge))
	if w.Code != http.StatusOK || w.Body.String() != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("url_verification: %d %q", w.Code, w.Body)
	}
	for _, bad := range []string{`{`, `not json`, "\x00\x01", `{"type":"event_callback","event":"oops"}`} {
		w := post(h, "/slack/events", bad, now, sign(secret, now, bad))
		if w.Code != http.StatusBadRequest {
			t.Errorf("malformed %q: status %d, want 400", bad, w.Code)
		}
	}
	bad := `payload=%7Bnot+json`
	if w := post(h, "/slack/interactive", bad, now, sign(secret, now, bad)); w.Code != http.StatusBadRequest {
		t.Errorf("malformed interaction: status %d, want 400", w.Code)
	}
	if w := post(h, "/slack/commands", "user_id=", now, sign(secret, now, "user_id=")); w.Code != http.StatusBadRequest {
		t.Errorf("slash command without user: status %d, want 400", w.Code)
	}
	if rec.count() != 0 {
		t.Fatalf("malformed requests reached the bot: %d", rec.count())
	}
}

// tripwire is a request body that records whether anything read it.
type tripwire struct {
	r    *strings.Reader
	read bool
}

func (tw *tripwire) Read(p []byte) (int, error) {
	tw.read = true
	return tw.r.Read(p)
}

// A request without a plausible signature or with a stale timestamp is
// refused before its body is read: an unsigned client cannot make Knoop
// read (and hold) a large body.
func TestHTTPChecksHeadersBeforeReadingTheBody(t *testing.T) {
	const secret = "s3cret"
	rec := &recorder{}
	h := httpAdapter(t, secret).Handler(t.Context(), rec)
	now := fmt.Sprint(time.Now().Unix())
	stale := fmt.Sprint(time.Now().Add(-time.Hour).Unix())
	for _, tc := range []struct{ name, ts, sig string }{
		{"no signature", now, ""},
		{"no timestamp", "", "v0=" + strings.Repeat("0", 64)},
		{"stale timestamp", stale, sign(secret, stale, "x")},
		{"signature of the wrong shape", now, "v1=zz"},
	} {
		body := &tripwire{r: strings.NewReader(strings.Repeat("x", 1<<20))}
		req := httptest.NewRequest(http.MethodPost, "/slack/events", body)
		req.Header.Set("X-Slack-Request-Timestamp", tc.ts)
		req.Header.Set("X-Slack-Signature", tc.sig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", tc.name, w.Code)
		}
		if body.read {
			t.Errorf("%s: the body was read before the headers were checked", tc.name)
		}
	}
	if rec.count() != 0 {
		t.Fatalf("a refused request reached the bot")
	}
}

// Bodies are capped at 256 KiB, signed or not.
func TestHTTPBodyCap(t *testing.T) {
	const secret = "s3cret"
	rec := &recorder{}
	h := httpAdapter(t, secret).Handler(t.Context(), rec)
	now := fmt.Sprint(time.Now().Unix())
	big := "command=%2Fknoop&user_id=U2CERLKJA&channel_id=C1&text=" + strings.Repeat("a", 300<<10)
	if w := post(h, "/slack/commands", big, now, sign(secret, now, big)); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("300 KiB body: status %d, want 413", w.Code)
	}
	ok := "command=%2Fknoop&user_id=U2CERLKJA&channel_id=C1&text=" + strings.Repeat("a", 200<<10)
	if w := post(h, "/slack/commands", ok, now, sign(secret, now, ok)); w.Code != http.StatusOK {
		t.Errorf("200 KiB body: status %d, want 200", w.Code)
	}
	if rec.count() != 1 {
		t.Errorf("%d messages reached the bot, want 1", rec.count())
	}
}
