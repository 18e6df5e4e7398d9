package bot

import (
	"strings"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"knoop/bot/metrics"
)

// countJobs feeds the job queue's events into the bot's metrics until the
// returned stop is called: a completed job is done, a failed one with
// attempts left is retried, a discarded or cancelled one failed. Queued
// jobs are counted where Tick plans them.
func (s *Scheduler) countJobs() (stop func()) {
	m := s.b.metrics
	if m == nil {
		return func() {}
	}
	events, cancel := s.client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range events {
			if ev.Job == nil {
				continue
			}
			kind := strings.TrimPrefix(ev.Job.Kind, "knoop_")
			switch {
			case ev.Kind == river.EventKindJobCompleted:
				m.Job(kind, metrics.JobDone)
			case ev.Kind == river.EventKindJobCancelled, ev.Job.State == rivertype.JobStateDiscarded,
				ev.Job.Attempt >= ev.Job.MaxAttempts:
				m.Job(kind, metrics.JobFailed)
			default:
				m.Job(kind, metrics.JobRetried) // an attempt failed; another follows
			}
		}
	}()
	return func() {
		cancel() // closes events
		<-done
	}
}
