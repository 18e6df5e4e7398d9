// Package metrics holds Knoop's Prometheus collectors. The core, the
// adapters and the scheduler record into one *Metrics that knoop run
// creates and serves on /metrics; every method is safe on a nil *Metrics
// and then does nothing, so tests and `knoop console` need none.
//
// The collectors live on their own registry, never the global one, so
// tests that create several do not collide.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Job states for Job.
const (
	JobQueued  = "queued"  // a job was scheduled
	JobRetried = "retried" // a failed attempt will be tried again
	JobFailed  = "failed"  // a job gave up for good
	JobDone    = "done"    // a job finished
)

// Metrics is the set of Knoop's collectors on one registry.
type Metrics struct {
	reg *prometheus.Registry

	messagesIn *prometheus.CounterVec
	repliesOut *prometheus.CounterVec
	commands   *prometheus.HistogramVec
	who        prometheus.Histogram
	errors     *prometheus.CounterVec
	jobs       *prometheus.CounterVec
	reconnects *prometheus.CounterVec
}

// New returns the collectors registered on a fresh registry, with the Go
// runtime and process collectors beside them.
func New() *Metrics {
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		messagesIn: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knoop_messages_in_total", Help: "Messages members addressed to Knoop, by platform.",
		}, []string{"platform"}),
		repliesOut: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knoop_replies_out_total", Help: "Replies Knoop gave to members' messages, by platform.",
		}, []string{"platform"}),
		commands: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "knoop_command_duration_seconds", Help: "Time to handle one command, by command name.", Buckets: buckets,
		}, []string{"command"}),
		who: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "knoop_who_query_duration_seconds", Help: "Time to answer one \"who is good at X?\" question.", Buckets: buckets,
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knoop_errors_total", Help: "Errors, by kind (panic, command, load, reply, dedupe, ack, sync, …).",
		}, []string{"kind"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knoop_jobs_total", Help: "Scheduled jobs (digests, nudges) by state (queued, retried, failed, done) and kind.",
		}, []string{"state", "kind"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "knoop_adapter_reconnects_total", Help: "Times an adapter lost its connection to the platform and connected again, by platform.",
		}, []string{"platform"}),
	}
	m.reg.MustRegister(m.messagesIn, m.repliesOut, m.commands, m.who, m.errors, m.jobs, m.reconnects,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry the collectors are on, for callers that add
// their own.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Handler serves the registry in the Prometheus text format (/metrics).
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// MessageIn counts a member's message reaching the core.
func (m *Metrics) MessageIn(platform string) {
	if m != nil {
		m.messagesIn.WithLabelValues(platform).Inc()
	}
}

// ReplyOut counts a reply the core gave.
func (m *Metrics) ReplyOut(platform string) {
	if m != nil {
		m.repliesOut.WithLabelValues(platform).Inc()
	}
}

// Command records how long handling command took.
func (m *Metrics) Command(command string, d time.Duration) {
	if m != nil {
		m.commands.WithLabelValues(command).Observe(d.Seconds())
	}
}

// WhoQuery records how long a who-question took.
func (m *Metrics) WhoQuery(d time.Duration) {
	if m != nil {
		m.who.Observe(d.Seconds())
	}
}

// Error counts an error of kind: a short fixed word, never an error text.
func (m *Metrics) Error(kind string) {
	if m != nil {
		m.errors.WithLabelValues(kind).Inc()
	}
}

// Job counts a scheduled job of kind ("digest", "nudge", …) entering
// state (JobQueued, JobRetried, JobFailed, JobDone).
func (m *Metrics) Job(kind, state string) {
	if m != nil {
		m.jobs.WithLabelValues(state, kind).Inc()
	}
}

// AddJobs counts n jobs of kind entering state at once.
func (m *Metrics) AddJobs(kind, state string, n int) {
	if m != nil && n > 0 {
		m.jobs.WithLabelValues(state, kind).Add(float64(n))
	}
}

// Reconnect counts an adapter connecting again after losing its
// connection.
func (m *Metrics) Reconnect(platform string) {
	if m != nil {
		m.reconnects.WithLabelValues(platform).Inc()
	}
}
