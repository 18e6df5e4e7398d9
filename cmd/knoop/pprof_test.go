package main

import (
	"regexp"
	"strconv"
	"testing"

	"knoop/adapters/slack/slackfake"
)

// net/http/pprof is served on the HTTP listener only when configured, and
// /metrics counts the statements and round trips sent to PostgreSQL.
func TestRunPprofOnlyWhenConfiguredAndStatementCounters(t *testing.T) {
	t.Parallel()
	off := startRun(t, slackfake.New(t), nil)
	if code, _ := off.get("/debug/pprof/"); code != 404 {
		t.Errorf("/debug/pprof/ without [http] pprof: %d, want 404", code)
	}
	_, metrics := off.waitGet("/metrics", func(code int, _ string) bool { return code == 200 })
	for _, name := range []string{"knoop_db_statements_total", "knoop_db_round_trips_total"} {
		m := regexp.MustCompile(`(?m)^` + name + ` (\S+)$`).FindStringSubmatch(metrics)
		if m == nil {
			t.Errorf("/metrics lacks %s", name)
			continue
		}
		if n, err := strconv.ParseFloat(m[1], 64); err != nil || n <= 0 {
			t.Errorf("%s = %s, want more than 0 (migrations and the scheduler ran)", name, m[1])
		}
	}
	if code := off.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}

	on := startRun(t, slackfake.New(t), map[string]string{"KNOOP_HTTP_PPROF": "true"})
	if code, _ := on.waitGet("/debug/pprof/", func(code int, _ string) bool { return code == 200 }); code != 200 {
		t.Errorf("/debug/pprof/ with KNOOP_HTTP_PPROF=true: %d", code)
	}
	if code := on.stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}
