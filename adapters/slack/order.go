package slack

import (
	"context"
	"runtime/debug"
	"sync"
	"time"
)

// dispatch queues work for key and calls ack exactly once: with work's
// result when it finishes within cfg.Wait of arriving, else with nil when
// the wait is over (Slack wants an answer in 3 s), in which case work
// learns it is late and delivers its own output. late's answer is final:
// once it said false, the timer can no longer acknowledge, so a result
// work then returns is always sent. Work keeps running after ctx ends (an
// accepted event is finished, not dropped) and shutdown waits for it.
func (a *Adapter) dispatch(ctx context.Context, key string, work func(ctx context.Context, late func() bool) any, ack func(payload any)) {
	const (
		pending  = iota // nobody has acknowledged yet
		timedOut        // the timer acknowledged with nil
		claimed         // work acknowledges with its result
	)
	var mu sync.Mutex
	state := pending
	isLate := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if state == pending {
			state = claimed
		}
		return state == timedOut
	}
	timer := time.AfterFunc(a.cfg.Wait, func() {
		mu.Lock()
		fire := state == pending
		if fire {
			state = timedOut
		}
		mu.Unlock()
		if fire {
			ack(nil)
		}
	})
	a.work.Add(1)
	queued := a.queue.Do(key, func() {
		defer a.work.Done()
		var result any
		defer func() {
			if p := recover(); p != nil {
				a.cfg.Metrics.Error("panic")
				a.log.Error("panic handling slack event", "panic", p, "stack", string(debug.Stack()))
				result = nil
			}
			timer.Stop()
			if !isLate() {
				ack(result)
			}
		}()
		result = work(context.WithoutCancel(ctx), isLate)
	})
	if !queued {
		// The member already has memberQueue events waiting: acknowledge
		// this one (so Slack does not redeliver it) and drop it.
		a.work.Done()
		timer.Stop()
		a.cfg.Metrics.Error("queue_full")
		a.log.WarnContext(ctx, "member's queue is full; event dropped", "member", key)
		if !isLate() {
			ack(nil)
		}
	}
}

// memberQueue bounds one member's events waiting or being handled. The
// rate limit answers a flood long before it fills; the bound keeps memory
// and goroutines finite whatever arrives.
const memberQueue = 256

// recentTTL is how long this process remembers an envelope or event id.
// Slack redelivers within minutes; older duplicates are caught by the
// event ids kept in PostgreSQL.
const recentTTL = time.Hour

// recent remembers ids for recentTTL, forgetting older ones as it goes so
// a long-running process does not grow.
type recent struct {
	mu    sync.Mutex
	ids   map[string]time.Time
	swept time.Time
}

// first records id and reports whether it was new.
func (r *recent) first(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if r.ids == nil {
		r.ids = map[string]time.Time{}
	}
	if now.Sub(r.swept) > recentTTL/4 {
		for k, at := range r.ids {
			if now.Sub(at) > recentTTL {
				delete(r.ids, k)
			}
		}
		r.swept = now
	}
	if _, ok := r.ids[id]; ok {
		return false
	}
	r.ids[id] = now
	return true
}
