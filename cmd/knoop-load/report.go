package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Targets of issue 7.
const (
	targetP95MS  = 250
	targetRSSMB  = 150
	targetTakeov = 30
)

type report struct {
	Profile     []profileRow `json:"profile,omitempty"` // --profile
	Started     string       `json:"started"`
	Replicas    int          `json:"replicas"`
	TargetRate  int          `json:"target_rate"`
	Duration    string       `json:"duration"`
	Members     int          `json:"members"`
	Channels    int          `json:"channels"`
	CPUs        int          `json:"cpus"`
	LoadAverage string       `json:"load_average_before"`
	MachineBusy float64      `json:"machine_busy_share"` // of all CPUs, during the load and drain

	Load       loadReport      `json:"load"`
	Errors     errorsReport    `json:"errors"`
	Digest     digestReport    `json:"digest"`
	Processes  []processReport `json:"processes"`
	HarnessCPU float64         `json:"harness_cpu_seconds"`
	Matrix     *matrixReport   `json:"matrix,omitempty"`

	Pass     bool     `json:"pass"`
	Failures []string `json:"failures,omitempty"`
}

type loadReport struct {
	Commands          int       `json:"commands"`
	PushSeconds       float64   `json:"push_seconds"`
	PushRate          float64   `json:"push_rate"`
	Answered          int       `json:"answered"`
	AnswerSeconds     float64   `json:"answer_seconds"` // first push to last first answer
	Throughput        float64   `json:"throughput"`     // answered / answer_seconds
	Latency           latency   `json:"latency_ms"`
	PerKind           []latency `json:"per_kind_ms"`
	Lost              int       `json:"lost"`
	Doubled           int       `json:"doubled"`
	LateSlash         int       `json:"late_slash"` // acked empty after 2.5 s, answered by a post
	UnclaimedPosts    int       `json:"unclaimed_posts"`
	StrayPosts        int       `json:"stray_posts"`
	Redeliveries      int       `json:"redeliveries"`
	RedeliveredEvents int       `json:"redelivered_events"`
	RedeliveredWrong  int       `json:"redelivered_not_answered_once"`
}

type latency struct {
	Kind string  `json:"kind,omitempty"`
	N    int     `json:"n"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

type errorsReport struct {
	ErrorReplies int `json:"error_replies"` // "something went wrong" answers
	FailedCalls  int `json:"failed_api_calls"`
	LogErrors    int `json:"log_error_lines"`
}

type digestReport struct {
	Posts            int     `json:"posts"`
	ThreadReplies    int     `json:"thread_replies"`
	SentInDB         int     `json:"sent_in_db"`
	AfterSlotSeconds float64 `json:"after_slot_seconds"`
}

type processReport struct {
	Replica    int     `json:"replica"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	CPUSeconds float64 `json:"cpu_seconds"`
	Killed     bool    `json:"killed,omitempty"`
	ErrorLines int     `json:"log_error_lines"`
}

type matrixReport struct {
	Holder          int     `json:"holder"`
	NewHolder       int     `json:"new_holder"`
	TakeoverSeconds float64 `json:"takeover_seconds"`
	Questions       int     `json:"questions"`
	Lost            int     `json:"lost"`
	Doubled         int     `json:"doubled"`
	Problem         string  `json:"problem,omitempty"`
}

// judge checks the targets.
func (r *report) judge(o options) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		r.HarnessCPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	f := func(format string, args ...any) { r.Failures = append(r.Failures, fmt.Sprintf(format, args...)) }
	l := r.Load
	if l.Lost > 0 || l.Doubled > 0 || l.UnclaimedPosts > 0 {
		f("%d lost (no answer by the end of the drain), %d doubled, %d unclaimed late posts", l.Lost, l.Doubled, l.UnclaimedPosts)
	}
	if l.Throughput < 0.95*float64(o.rate) {
		f("throughput %.0f/s below the %d/s driven", l.Throughput, o.rate)
	}
	if l.Latency.P95 > targetP95MS {
		f("p95 %.0f ms above %d ms", l.Latency.P95, targetP95MS)
	}
	for _, p := range r.Processes {
		if p.PeakRSSMB > targetRSSMB {
			f("replica %d peak RSS %.0f MB above %d MB", p.Replica, p.PeakRSSMB, targetRSSMB)
		}
	}
	if r.Errors.ErrorReplies+r.Errors.FailedCalls+r.Errors.LogErrors > 0 {
		f("errors: %+v", r.Errors)
	}
	if o.digest && (r.Digest.Posts != 1 || r.Digest.ThreadReplies != 1) {
		f("digest: %d posts and %d thread replies, want 1 and 1", r.Digest.Posts, r.Digest.ThreadReplies)
	}
	if m := r.Matrix; m != nil {
		switch {
		case m.Problem != "":
			f("matrix: %s", m.Problem)
		case m.TakeoverSeconds > targetTakeov:
			f("matrix takeover %.1f s above %d s", m.TakeoverSeconds, targetTakeov)
		}
		if m.Lost+m.Doubled > 0 {
			f("matrix: %d questions lost, %d doubled", m.Lost, m.Doubled)
		}
	}
	r.Pass = len(r.Failures) == 0
}

func (r *report) print(w io.Writer) {
	l := r.Load
	fmt.Fprintf(w, "\nknoop-load %s: %d replicas, %d commands/s for %s, %d members, %d channels\n",
		r.Started, r.Replicas, r.TargetRate, r.Duration, r.Members, r.Channels)
	fmt.Fprintf(w, "machine: %d CPUs, load average before %s, %.0f%% of all CPU busy during the run\n\n",
		r.CPUs, r.LoadAverage, 100*r.MachineBusy)
	fmt.Fprintf(w, "pushed        %d commands in %.1f s (%.0f/s), %d redeliveries of %d mentions\n",
		l.Commands, l.PushSeconds, l.PushRate, l.Redeliveries, l.RedeliveredEvents)
	fmt.Fprintf(w, "answered      %d, last first answer %.1f s after the first push: %.0f/s\n", l.Answered, l.AnswerSeconds, l.Throughput)
	fmt.Fprintf(w, "latency       p50 %.1f ms · p95 %.1f ms · p99 %.1f ms · max %.0f ms (push → ack payload or post)\n",
		l.Latency.P50, l.Latency.P95, l.Latency.P99, l.Latency.Max)
	fmt.Fprintf(w, "lost/doubled  %d / %d (lost: no answer by the end of the drain; redelivered mentions not answered exactly once: %d; late /knoop answers: %d; unclaimed late posts: %d)\n",
		l.Lost, l.Doubled, l.RedeliveredWrong, l.LateSlash, l.UnclaimedPosts)
	fmt.Fprintf(w, "errors        %d error answers, %d failed API calls, %d ERROR log lines\n",
		r.Errors.ErrorReplies, r.Errors.FailedCalls, r.Errors.LogErrors)
	if r.Digest == (digestReport{}) {
		fmt.Fprintln(w, "digest        (not scheduled: --digest=false)")
	} else {
		fmt.Fprintf(w, "digest        %d post, %d thread reply, %d sent in the database, %.1f s after its slot\n",
			r.Digest.Posts, r.Digest.ThreadReplies, r.Digest.SentInDB, r.Digest.AfterSlotSeconds)
	}
	if m := r.Matrix; m != nil {
		if m.Problem != "" {
			fmt.Fprintf(w, "matrix        %s\n", m.Problem)
		} else {
			fmt.Fprintf(w, "matrix        replica %d held the sync, SIGKILL; replica %d answered %.1f s later; %d questions, %d lost, %d doubled\n",
				m.Holder, m.NewHolder, m.TakeoverSeconds, m.Questions, m.Lost, m.Doubled)
		}
	}
	fmt.Fprintf(w, "\n%-22s %6s %8s %8s %8s %8s\n", "per kind", "n", "p50 ms", "p95 ms", "p99 ms", "max ms")
	for _, k := range l.PerKind {
		fmt.Fprintf(w, "%-22s %6d %8.1f %8.1f %8.1f %8.0f\n", k.Kind, k.N, k.P50, k.P95, k.P99, k.Max)
	}
	fmt.Fprintf(w, "\n%-8s %12s %8s %10s\n", "replica", "peak RSS MB", "CPU s", "ERROR log")
	for _, p := range r.Processes {
		note := ""
		if p.Killed {
			note = "  (killed; figures from just before)"
		}
		fmt.Fprintf(w, "%-8d %12.1f %8.1f %10d%s\n", p.Replica, p.PeakRSSMB, p.CPUSeconds, p.ErrorLines, note)
	}
	fmt.Fprintf(w, "%-8s %12s %8.1f\n", "harness", "", r.HarnessCPU)
	if r.Pass {
		fmt.Fprintln(w, "\nPASS")
	} else {
		fmt.Fprintf(w, "\nFAIL\n  %s\n", strings.Join(r.Failures, "\n  "))
	}
}

func numCPU() int { return runtime.NumCPU() }

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// cpuTimes is the first line of /proc/stat: busy and total jiffies.
type cpuTimes struct{ busy, total int64 }

func readCPU() cpuTimes {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	var t cpuTimes
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i >= 8 { // guest time is counted in user already
			break
		}
		t.total += n
		if i != 3 && i != 4 { // idle, iowait
			t.busy += n
		}
	}
	return t
}

func busyShare(a, b cpuTimes) float64 {
	if b.total <= a.total {
		return 0
	}
	return float64(b.busy-a.busy) / float64(b.total-a.total)
}
