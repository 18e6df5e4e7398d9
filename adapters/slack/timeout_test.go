package slack

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// hangingServer accepts requests and never answers them.
func hangingServer(t *testing.T) *httptest.Server {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	return srv
}

// A Web API call to a Slack that never answers fails with a timeout
// instead of hanging the caller (a reply, a digest, the start).
func TestWebAPIRequestsTimeOut(t *testing.T) {
	srv := hangingServer(t)
	a, err := New(Config{BotToken: "xoxb-t", AppToken: "xapp-1-t", APIURL: srv.URL + "/", HTTPTimeout: 100 * time.Millisecond},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := a.api.AuthTestContext(context.Background())
		errc <- err
	}()
	select {
	case err := <-errc:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("auth.test against a silent Slack: %v, want a timeout", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("auth.test against a silent Slack never returned: no timeout on the HTTP client")
	}
}
