package slack

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// One member's events are bounded: past memberQueue waiting or running,
// an event is acknowledged at once (Slack does not redeliver it) and
// dropped; the others still run in order.
func TestDispatchBoundsAMembersQueue(t *testing.T) {
	a := httpAdapter(t, "s3cret")
	a.cfg.Wait = time.Hour // no acknowledgement by the timer in this test
	release := make(chan struct{})
	var ran, acked, ackedEarly atomic.Int64
	const sent = memberQueue + 6
	for i := range sent {
		a.dispatch(context.Background(), "UFLOOD", func(ctx context.Context, late func() bool) any {
			if i == 0 {
				<-release
			}
			ran.Add(1)
			return nil
		}, func(any) { acked.Add(1) })
	}
	ackedEarly.Store(acked.Load())
	close(release)
	a.work.Wait()
	if got := ackedEarly.Load(); got != sent-memberQueue {
		t.Errorf("%d events acknowledged while the queue was full, want %d", got, sent-memberQueue)
	}
	if got := ran.Load(); got != memberQueue {
		t.Errorf("%d events handled, want %d", got, memberQueue)
	}
	if got := acked.Load(); got != sent {
		t.Errorf("%d events acknowledged in all, want %d", got, sent)
	}
}
