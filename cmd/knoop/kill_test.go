package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/slack-go/slack"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/event"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix/matrixtest"
	"knoop/adapters/slack/slackfake"
)

// TestKnoopProcess is not a test: the kill tests run this test binary
// again with KNOOP_TEST_PROCESS=1, and then it is `knoop run` in a process
// of its own that they can SIGKILL.
func TestKnoopProcess(t *testing.T) {
	if os.Getenv("KNOOP_TEST_PROCESS") != "1" {
		t.Skip("runs `knoop run` when started by a kill test")
	}
	os.Exit(runMain(context.Background(), []string{"run"}, strings.NewReader(""), os.Stdout, os.Stderr, os.Getenv))
}

// startProcess starts `knoop run` with env (and the run tests' defaults)
// in a process of its own; it is killed at cleanup if still running.
func startProcess(t *testing.T, env map[string]string) *exec.Cmd {
	t.Helper()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.toml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestKnoopProcess$")
	cmd.Env = []string{"KNOOP_TEST_PROCESS=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"KNOOP_CONFIG=" + empty, "KNOOP_LOG_LEVEL=debug", "KNOOP_HTTP_LISTEN=127.0.0.1:0"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logPath := filepath.Join(dir, "knoop.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		_ = logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("killed process's log:\n%s", b)
		}
	})
	return cmd
}

// lockTable takes an exclusive lock on table in schema until the returned
// function is called: a command writing to it waits there, in flight.
func lockTable(t *testing.T, dbURL, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE `+table+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_ = tx.Rollback(ctx)
			_ = conn.Close(ctx)
		}
	}
	t.Cleanup(release)
	return release
}

// waitBlocked waits until a session waits for a lock on table in schema.
func waitBlocked(t *testing.T, dbURL, schema, table string) {
	t.Helper()
	waitFor(t, "a command waiting on "+table, func() bool {
		return query(t, dbURL, `SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			JOIN pg_namespace s ON s.oid = c.relnamespace
			WHERE s.nspname = $1 AND c.relname = $2 AND NOT l.granted`, schema, table) > 0
	})
}

// kill sends SIGKILL and reaps the process.
func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

// A replica killed (SIGKILL) while a mention's command is in flight has
// committed nothing of it: Slack redelivers the unacknowledged event to
// the replica left, which answers it once and saves the skill once.
//
// Not parallel: a process started while the parallel tests load the
// machine can take longer than the waits allow.
func TestRunSlackKilledMidCommandAnswersRedeliveryOnce(t *testing.T) {
	fake := slackfake.New(t)
	fake.AddUser(slack.User{ID: "UANNA", Name: "anna", TeamID: slackfake.TeamID, Profile: slack.UserProfile{DisplayName: "Anna"}})
	schema, dbURL := schemaURL(t)
	env := map[string]string{
		"KNOOP_SLACK_BOT_TOKEN": "xoxb-run-test",
		"KNOOP_SLACK_APP_TOKEN": "xapp-1-run-test",
		"KNOOP_SLACK_API_URL":   fake.APIURL(),
		"KNOOP_DATABASE_URL":    dbURL,
	}
	first := startProcess(t, env)
	fake.WaitConnections(1, runWait)
	ts0, env0 := mention(fake, "EvKill0", "UANNA", "skills add logistics")
	fake.WaitAck(env0, runWait)
	if n := len(replyIn(fake, ts0)); n != 1 {
		t.Fatalf("%d answers to the first mention", n)
	}

	release := lockTable(t, dbURL, "skills")
	p := slackfake.AppMention("EvKill1", "UANNA", "C1", "<@"+slackfake.BotUserID+"> skills add cold chain", "")
	ts := p["event"].(map[string]any)["ts"].(string)
	envelope := fake.Push("events_api", p)
	waitBlocked(t, dbURL, schema, "skills")
	kill(t, first)
	release()
	for _, a := range fake.Acks() {
		if a.EnvelopeID == envelope {
			t.Logf("the killed replica had acknowledged the envelope (its 2.5 s timer); Slack would not redeliver it")
		}
	}

	second := startKnoop(t, env)
	fake.WaitConnections(2, runWait)
	again := fake.PushRedelivery("events_api", p, 1)
	fake.WaitAck(again, runWait)
	replies := replyIn(fake, ts)
	if len(replies) != 1 || !strings.Contains(replies[0].Get("text"), "cold chain") {
		t.Fatalf("answers to the mention in flight at the kill: %d %s", len(replies), texts(replies))
	}
	if n := query(t, dbURL, `SELECT count(*) FROM skills WHERE skill = 'cold chain'`); n != 1 {
		t.Errorf("the skill was saved %d times", n)
	}
	// A third delivery is a duplicate now.
	third := fake.PushRedelivery("events_api", p, 2)
	fake.WaitAck(third, runWait)
	if n := len(replyIn(fake, ts)); n != 1 {
		t.Errorf("%d answers after a second redelivery", n)
	}
	if code := second.stop(); code != 0 {
		t.Fatalf("knoop run exited %d", code)
	}
}

// A replica killed (SIGKILL) while a Matrix message's command is in flight
// did not move the saved sync position past it: the replica started next
// resumes before the message and answers it, once.
// Not parallel, as above.
func TestRunMatrixKilledMidCommandRestartAnswersOnce(t *testing.T) {
	hs := matrixtest.Start(t)
	knoopCli := hs.Register(t, "knoop", "knoop-password-1", false)
	alice := hs.Register(t, "alice", "alice-password-1", false)
	schema, dbURL := schemaURL(t)
	env := map[string]string{
		"KNOOP_MATRIX_HOMESERVER":   hs.URL,
		"KNOOP_MATRIX_USER_ID":      string(knoopCli.UserID),
		"KNOOP_MATRIX_ACCESS_TOKEN": knoopCli.AccessToken,
		"KNOOP_DATABASE_URL":        dbURL,
	}
	ctx := context.Background()
	first := startProcess(t, env)
	resp, err := alice.CreateRoom(ctx, &mautrix.ReqCreateRoom{Preset: "private_chat", Name: "Greenport"})
	if err != nil {
		t.Fatal(err)
	}
	room := resp.RoomID
	if _, err := alice.InviteUser(ctx, room, &mautrix.ReqInviteUser{UserID: knoopCli.UserID}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "knoop to join", func() bool {
		m, err := alice.JoinedMembers(ctx, room)
		_, ok := m.Joined[knoopCli.UserID]
		return err == nil && ok
	})
	say := func(text string) id.EventID {
		t.Helper()
		r, err := alice.SendText(ctx, room, text)
		if err != nil {
			t.Fatal(err)
		}
		return r.EventID
	}
	q0 := say("!knoop skills add logistics")
	matrixtest.WaitMessage(t, alice, room, knoopCli.UserID, matrixtest.ReplyTo(q0), runWait)

	release := lockTable(t, dbURL, "skills")
	q1 := say("!knoop skills add cold chain")
	waitBlocked(t, dbURL, schema, "skills")
	kill(t, first)
	release()

	second := startKnoop(t, env)
	matrixtest.WaitMessage(t, alice, room, knoopCli.UserID, matrixtest.ReplyTo(q1), runWait)
	// Something asked after the restart is answered too; by then a second
	// answer to the message in flight would have come.
	q2 := say("!knoop help")
	matrixtest.WaitMessage(t, alice, room, knoopCli.UserID, matrixtest.ReplyTo(q2), runWait)
	history, err := matrixtest.History(ctx, alice, room, knoopCli.UserID)
	if err != nil {
		t.Fatal(err)
	}
	answers := 0
	for _, e := range history {
		if matrixtest.ReplyTo(q1)(e) && e.Type == event.EventMessage {
			answers++
		}
	}
	if answers != 1 {
		t.Errorf("%d answers to the message in flight at the kill", answers)
	}
	if n := query(t, dbURL, `SELECT count(*) FROM skills WHERE skill = 'cold chain'`); n != 1 {
		t.Errorf("the skill was saved %d times", n)
	}
	if code := second.stop(); code != 0 {
		t.Fatalf("knoop run exited %d", code)
	}
}
