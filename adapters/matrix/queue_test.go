package matrix

import (
	"log/slog"
	"testing"
)

// One sender's events are bounded: past memberQueue waiting or running,
// the adapter's queue refuses more (onMessage then drops the event and
// releases its sync position), so a flood cannot grow memory without end.
func TestMembersQueueIsBounded(t *testing.T) {
	a, err := New(Config{Homeserver: "http://127.0.0.1:1", UserID: "@knoop:localhost", AccessToken: "t"}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	done := make(chan struct{}, memberQueue)
	refused := 0
	for range memberQueue + 6 {
		if !a.queue.Do("@flood:localhost", func() { <-release; done <- struct{}{} }) {
			refused++
		}
	}
	// Another sender is not held up by the flood.
	other := make(chan struct{})
	if !a.queue.Do("@anna:localhost", func() { close(other) }) {
		t.Fatal("another sender's event was refused")
	}
	<-other
	close(release)
	for range memberQueue {
		<-done
	}
	if refused != 6 {
		t.Errorf("%d events refused, want 6", refused)
	}
}
