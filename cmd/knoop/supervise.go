package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"knoop/bot"
)

// Backoff between attempts to run an adapter that failed: it doubles from
// retryFirst up to retryMax.
const (
	retryFirst = time.Second
	retryMax   = 30 * time.Second
	// healthyRun is how long a Run must have lasted for its failure to
	// start a new series of retries rather than continue the last one.
	healthyRun = time.Minute
)

// supervised runs one adapter for knoop run. A Run that ends with an error
// while knoop runs (a refused token, a refused login, a lost connection
// the adapter gave up on) is retried with backoff for up to giveUp; then
// Run's error is returned, so knoop run exits non-zero and the service
// manager restarts it. Meanwhile /readyz shows the failure.
type supervised struct {
	a      bot.Adapter
	giveUp time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	lastErr error     // the last failure of the current series; nil once healthy
	until   time.Time // when the current series gives up
}

// run blocks until ctx ends (nil) or the adapter failed for good (its
// last error).
func (s *supervised) run(ctx context.Context, h bot.Handler) error {
	var since time.Time // start of the current series of failures
	wait := retryFirst
	for attempt := 1; ; attempt++ {
		started := time.Now()
		err := s.a.Run(ctx, h)
		if err == nil || ctx.Err() != nil {
			return err
		}
		if since.IsZero() || time.Since(started) >= healthyRun {
			since, wait, attempt = started, retryFirst, 1
		}
		left := s.giveUp - time.Since(since)
		s.mu.Lock()
		s.lastErr, s.until = err, since.Add(s.giveUp)
		s.mu.Unlock()
		if left <= 0 {
			return fmt.Errorf("%s failed for good after %d attempts in %s: %w", s.a.Name(), attempt,
				time.Since(since).Round(time.Second), err)
		}
		wait = min(wait, left)
		s.log.Warn("adapter failed; retrying", "platform", s.a.Name(), "err", err, "attempt", attempt,
			"retry_in", wait.String(), "gives_up_in", left.Round(time.Second).String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, retryMax)
	}
}

// ready is the adapter's /readyz check: its own report, and while it is
// down after a failure, that failure and when knoop run gives up.
func (s *supervised) ready(r readier) (string, error) {
	detail, err := "", error(nil)
	if r != nil {
		detail, err = r.Ready()
	}
	s.mu.Lock()
	last, until := s.lastErr, s.until
	s.mu.Unlock()
	if err == nil && r != nil {
		s.mu.Lock()
		s.lastErr = nil
		s.mu.Unlock()
		return detail, nil
	}
	if last == nil {
		return detail, err
	}
	msg := fmt.Sprintf("failed: %v; retrying until %s, then knoop exits", last, until.UTC().Format(time.RFC3339))
	if err != nil && err.Error() != last.Error() {
		msg = err.Error() + " (" + msg + ")"
	}
	return "", errors.New(msg)
}
