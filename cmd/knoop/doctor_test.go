package main

import (
	"strings"
	"testing"

	"knoop/adapters/matrix/matrixtest"
	"knoop/adapters/slack/slackfake"
	"knoop/store/lexicon"
	"knoop/store/storetest"
)

// lineOf returns doctor's line for a check.
func lineOf(t *testing.T, out, what string) string {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && strings.HasPrefix(strings.Join(f[1:], " "), what) {
			return l
		}
	}
	t.Errorf("no line for %q in:\n%s", what, out)
	return ""
}

func wantLine(t *testing.T, out, status, what string, has ...string) {
	t.Helper()
	l := lineOf(t, out, what)
	if !strings.HasPrefix(l, status+" ") {
		t.Errorf("%s: want %s, got %q", what, status, l)
	}
	for _, h := range has {
		if !strings.Contains(l, h) {
			t.Errorf("%s: line %q lacks %q", what, l, h)
		}
	}
	if status == "FAIL" && !strings.Contains(l, "fix: ") {
		t.Errorf("%s: a failure without a fix hint: %q", what, l)
	}
}

// Everything in place: every check ok (Matrix skipped), exit 0.
func TestDoctorAllGood(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "KNOOP_SLACK_BOT_TOKEN": "xoxb-doctor-good",
		"KNOOP_SLACK_APP_TOKEN": "xapp-1-doctor-good", "KNOOP_SLACK_API_URL": fake.APIURL()}
	if r := knoop(t, env, nil, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %v", r)
	}
	r := knoop(t, env, nil, "doctor")
	if r.code != 0 {
		t.Errorf("doctor: exit %d\n%v", r.code, r)
	}
	wantLine(t, r.stdout, "ok", "config")
	wantLine(t, r.stdout, "ok", "database", "PostgreSQL")
	wantLine(t, r.stdout, "ok", "schema", "current")
	wantLine(t, r.stdout, "ok", "slack bot token", slackfake.BotUserID, slackfake.TeamID)
	wantLine(t, r.stdout, "ok", "slack scopes")
	wantLine(t, r.stdout, "ok", "slack app token")
	wantLine(t, r.stdout, "skip", "matrix")
	if strings.Contains(r.stdout+r.stderr, "doctor-good") {
		t.Errorf("doctor shows a token:\n%v", r)
	}
}

// A refused bot token, missing scopes and a refused app token each fail
// with a fix, and doctor exits 1; a database never migrated is fine (knoop
// run migrates at start) and doctor does not migrate it.
func TestDoctorFindsProblems(t *testing.T) {
	t.Parallel()
	fake := slackfake.New(t)
	fake.RefuseToken("xoxb-doctor-revoked")
	fake.RefuseToken("xapp-1-doctor-revoked")
	schema, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "KNOOP_SLACK_BOT_TOKEN": "xoxb-doctor-revoked",
		"KNOOP_SLACK_APP_TOKEN": "xapp-1-doctor-revoked", "KNOOP_SLACK_API_URL": fake.APIURL()}
	r := knoop(t, env, nil, "doctor")
	if r.code != 1 {
		t.Errorf("doctor: exit %d, want 1\n%v", r.code, r)
	}
	t.Logf("knoop doctor:\n%s%s", r.stdout, r.stderr)
	wantLine(t, r.stdout, "ok", "database")
	wantLine(t, r.stdout, "ok", "schema", "version 0", "migrates it to")
	wantLine(t, r.stdout, "FAIL", "slack bot token", "invalid_auth", "KNOOP_SLACK_BOT_TOKEN")
	wantLine(t, r.stdout, "FAIL", "slack app token", "invalid_auth", "KNOOP_SLACK_APP_TOKEN")
	if n := tablesIn(t, schema); n != 0 {
		t.Errorf("doctor created %d tables", n)
	}
	if strings.Contains(r.stdout+r.stderr, "doctor-revoked") {
		t.Errorf("doctor shows a token:\n%v", r)
	}

	fake.SetScopes("chat:write", "commands")
	env["KNOOP_SLACK_BOT_TOKEN"] = "xoxb-doctor-narrow"
	r = knoop(t, env, nil, "doctor")
	wantLine(t, r.stdout, "ok", "slack bot token")
	wantLine(t, r.stdout, "FAIL", "slack scopes", "im:write", "reinstall")

	// No database, no platform.
	r = knoop(t, nil, nil, "doctor")
	if r.code != 1 {
		t.Errorf("doctor without anything: exit %d", r.code)
	}
	wantLine(t, r.stdout, "FAIL", "database", "KNOOP_DATABASE_URL")
	wantLine(t, r.stdout, "FAIL", "platforms")
}

// Matrix against a real homeserver: a good token passes (and after a run
// the encryption store holds the device's keys), a bad one fails.
func TestDoctorMatrix(t *testing.T) {
	t.Parallel()
	hs := matrixtest.Start(t)
	bot := hs.Register(t, "knoop", "knoop-password-1", false)
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "KNOOP_MATRIX_HOMESERVER": hs.URL,
		"KNOOP_MATRIX_USER_ID": string(bot.UserID), "KNOOP_MATRIX_ACCESS_TOKEN": bot.AccessToken}
	if r := knoop(t, env, nil, "migrate"); r.code != 0 {
		t.Fatalf("migrate: %v", r)
	}
	r := knoop(t, env, nil, "doctor")
	if r.code != 0 {
		t.Errorf("doctor: exit %d\n%v", r.code, r)
	}
	wantLine(t, r.stdout, "ok", "matrix homeserver", "speaks Matrix")
	wantLine(t, r.stdout, "ok", "matrix login", string(bot.UserID), string(bot.DeviceID))
	wantLine(t, r.stdout, "ok", "matrix encryption", "first run")
	wantLine(t, r.stdout, "skip", "slack")

	run := startKnoop(t, env)
	run.waitGet("/readyz", func(code int, body string) bool { return code == 200 && strings.Contains(body, "ok matrix: syncing") })
	if code := run.stop(); code != 0 {
		t.Fatalf("knoop run exited %d", code)
	}
	r = knoop(t, env, nil, "doctor")
	wantLine(t, r.stdout, "ok", "matrix encryption", "keys of device "+string(bot.DeviceID))

	env["KNOOP_MATRIX_ACCESS_TOKEN"] = "syt_doctor_bad_token"
	r = knoop(t, env, nil, "doctor")
	if r.code != 1 {
		t.Errorf("doctor with a bad token: exit %d\n%v", r.code, r)
	}
	wantLine(t, r.stdout, "FAIL", "matrix login", "M_UNKNOWN_TOKEN", "KNOOP_MATRIX_ACCESS_TOKEN")
	if strings.Contains(r.stdout+r.stderr, "syt_doctor_bad_token") || strings.Contains(r.stdout+r.stderr, bot.AccessToken) {
		t.Errorf("doctor shows a token:\n%v", r)
	}
}

// Without the dictionary Knoop works, and doctor says so without failing
// on it; with it, doctor says where it is.
func TestDoctorReportsTheDictionary(t *testing.T) {
	t.Parallel()
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": storetest.URL(), "KNOOP_NETWORK_DICTIONARY": t.TempDir()}, nil, "doctor")
	if !strings.Contains(r.stdout, "skip  dictionary") || strings.Contains(r.stdout, "FAIL  dictionary") {
		t.Errorf("doctor without a dictionary:\n%s", r.stdout)
	}
	if _, err := lexicon.Load(lexicon.DefaultDir); err != nil {
		return
	}
	r = knoop(t, map[string]string{"KNOOP_DATABASE_URL": storetest.URL()}, nil, "doctor")
	if !strings.Contains(r.stdout, "ok    dictionary") {
		t.Errorf("doctor with the dictionary installed:\n%s", r.stdout)
	}
}
