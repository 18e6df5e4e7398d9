package matrix

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"maunium.net/go/mautrix"
)

// A request to a homeserver that never answers fails with a timeout
// instead of hanging the adapter.
func TestHomeserverRequestsTimeOut(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(func() { close(stop); srv.Close() })
	a, err := New(Config{Homeserver: srv.URL, UserID: "@knoop:localhost", AccessToken: "t", HTTPTimeout: 100 * time.Millisecond},
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		// One attempt: this is about the client's timeout, not mautrix's
		// retries.
		_, err := a.cli.Whoami(context.WithValue(context.Background(), mautrix.MaxAttemptsContextKey, 1))
		errc <- err
	}()
	select {
	case err := <-errc:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("whoami against a silent homeserver: %v, want a timeout", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("whoami against a silent homeserver never returned: no timeout on the HTTP client")
	}
	if c := httpClient(0); c.Timeout <= 30*time.Second {
		t.Errorf("default timeout %v does not leave room for the 30 s /sync long poll", c.Timeout)
	}
}
