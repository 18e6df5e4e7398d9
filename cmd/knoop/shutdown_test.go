package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/slack-go/slack"

	"knoop/adapters/matrix/matrixtest"
	"knoop/adapters/slack/slackfake"
)

// Two replicas on one Matrix account: one syncs, the other stands by
// (ready, and /readyz says so). SIGTERM to the first: it exits 0 within
// its grace and releases the sync lock, and the standby takes over.
func TestRunMatrixShutdownReleasesTheLock(t *testing.T) {
	t.Parallel()
	hs := matrixtest.Start(t)
	bot := hs.Register(t, "knoop", "knoop-password-1", false)
	env := map[string]string{
		"KNOOP_MATRIX_HOMESERVER":   hs.URL,
		"KNOOP_MATRIX_USER_ID":      string(bot.UserID),
		"KNOOP_MATRIX_ACCESS_TOKEN": bot.AccessToken,
		"KNOOP_RUN_SHUTDOWN_GRACE":  "5s",
	}
	first := startKnoop(t, env)
	_, body := first.waitGet("/readyz", func(code int, body string) bool { return code == 200 && strings.Contains(body, "ok matrix: syncing") })
	t.Logf("first /readyz:\n%s", body)

	env["KNOOP_DATABASE_URL"] = first.dbURL
	second := startKnoop(t, env)
	_, body = second.waitGet("/readyz", func(code int, body string) bool { return code == 200 && strings.Contains(body, "ok matrix: standby") })
	t.Logf("second /readyz:\n%s", body)

	start := time.Now()
	if code := first.stop(); code != 0 {
		t.Fatalf("first replica exited %d, want 0", code)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("first replica took %v to stop, grace 5s", took)
	}
	second.waitGet("/readyz", func(code int, body string) bool { return code == 200 && strings.Contains(body, "ok matrix: syncing") })
	if !strings.Contains(second.stderr.String(), "matrix sync lock taken over") {
		t.Errorf("the standby did not report the takeover")
	}
	if code := second.stop(); code != 0 {
		t.Fatalf("second replica exited %d, want 0", code)
	}
}

// An event that cannot finish within the grace does not keep the process:
// it exits non-zero, says why, and did not acknowledge the event.
func TestRunShutdownGraceExceeded(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	r := startRun(t, fake, map[string]string{"KNOOP_RUN_SHUTDOWN_GRACE": "1s"})
	ts0, env0 := mention(fake, "EvGrace0", "UANNA", "skills add patience")
	fake.WaitAck(env0, runWait)
	if len(replyIn(fake, ts0)) != 1 {
		t.Fatal("no answer to the first mention")
	}

	ctx := context.Background()
	locker, err := pgx.Connect(ctx, r.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `LOCK TABLE processed_events IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	_, env := mention(fake, "EvGrace1", "UANNA", "skills add waiting")
	waitFor(t, "the event waiting on the lock", func() bool {
		return query(t, r.dbURL, `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname = $1 AND c.relname = 'processed_events' AND NOT l.granted`, r.schema) >= 1
	})
	start := time.Now()
	code := r.stop()
	took := time.Since(start)
	if code == 0 {
		t.Errorf("exit 0 with an event unfinished")
	}
	if took > 5*time.Second {
		t.Errorf("exit took %v with a grace of 1s", took)
	}
	if !strings.Contains(r.stderr.String(), "shutdown grace exceeded") {
		t.Errorf("no word about the grace in the log")
	}
	for _, a := range fake.Acks() {
		if a.EnvelopeID == env {
			t.Errorf("the unfinished event was acknowledged")
		}
	}
}
