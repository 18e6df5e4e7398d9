package matrix

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// A 429 with retry_after_ms is retried after that wait and then succeeds.
func TestLimitExceededIsRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":10}`))
			return
		}
		_, _ = w.Write([]byte(`{"user_id":"@knoop:localhost","device_id":"D1"}`))
	}))
	defer srv.Close()
	a, err := New(Config{Homeserver: srv.URL, UserID: "@knoop:localhost", AccessToken: "t"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.cli.Whoami(context.Background())
	if err != nil || resp.DeviceID != "D1" || calls.Load() != 2 {
		t.Fatalf("whoami after a 429: %v %v, %d calls", resp, err, calls.Load())
	}
}

func TestRetryAfterHeaderFromBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2500}`))
	}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	resp, err := retryAfterTransport{next: http.DefaultTransport}.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if got := resp.Header.Get("Retry-After"); got != "3" {
		t.Fatalf("Retry-After %q, want 3 (2.5 s rounded up)", got)
	}
}
