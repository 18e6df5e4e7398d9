package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"knoop/store/pgembed"
	"knoop/store/storetest"
)

// closedPort is a port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// fallbackTo points the console's fallback at the given local candidates
// and embedded port for one (non-parallel) test.
func fallbackTo(t *testing.T, candidates []string, port uint32) {
	oldC, oldP := localCandidates, embeddedPort
	localCandidates, embeddedPort = candidates, port
	t.Cleanup(func() { localCandidates, embeddedPort = oldC, oldP })
}

// With no database configured, the console takes the first local
// PostgreSQL that answers, creating database knoop there, and says so.
func TestConsoleFallbackUsesLocalPostgres(t *testing.T) {
	u, err := url.Parse(storetest.URL())
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := u.User.Password()
	local := fmt.Sprintf("host=%s port=%s user=%s password='%s' sslmode=disable", u.Hostname(), u.Port(), u.User.Username(), pass)
	fallbackTo(t, []string{fmt.Sprintf("host=127.0.0.1 port=%d user=postgres sslmode=disable", closedPort(t)), local}, 1)

	var stderr strings.Builder
	e := env{ctx: context.Background(), stderr: &stderr, getenv: noEnv}
	pc, emb, err := databaseConfig(e, defaultConfig(), slog.New(slog.DiscardHandler), true)
	if err != nil {
		t.Fatal(err)
	}
	if emb != nil {
		t.Fatal("an embedded PostgreSQL was started although a local one answers")
	}
	want := fmt.Sprintf("knoop: using local PostgreSQL at %s:%s as %s, database knoop\n", u.Hostname(), u.Port(), u.User.Username())
	if stderr.String() != want {
		t.Fatalf("stderr = %q, want %q", stderr.String(), want)
	}
	c, err := pgx.ConnectConfig(e.ctx, pc.ConnConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(e.ctx)
	var db string
	if err := c.QueryRow(e.ctx, "SELECT current_database()").Scan(&db); err != nil || db != "knoop" {
		t.Fatalf("database %q, %v", db, err)
	}
}

// With no database configured and none answering locally, the console
// starts an embedded PostgreSQL in the user's data directory, says so,
// stops it on exit, and finds its data again the next time.
func TestConsoleFallbackStartsEmbeddedPostgres(t *testing.T) {
	if os.Geteuid() == 0 {
		// As root the embedded server cannot start; the answer says why.
		_, _, _, err := startEmbedded(envOf(map[string]string{"XDG_DATA_HOME": t.TempDir()}))
		if !errors.Is(err, pgembed.ErrRoot) {
			t.Fatalf("as root: %v, want pgembed.ErrRoot", err)
		}
	}
	if !storetest.Unprivileged(t) {
		return
	}
	port := uint32(closedPort(t))
	fallbackTo(t, []string{fmt.Sprintf("host=127.0.0.1 port=%d user=postgres sslmode=disable", closedPort(t))}, port)
	// Not t.TempDir(): the server's socket path must stay under 108 bytes.
	data, err := os.MkdirTemp("", "kd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(data) })

	envs := map[string]string{"XDG_DATA_HOME": data}
	r := knoop(t, envs, strings.NewReader("skills add logistiek\n"), "console", "--as", "anna", "--org", "Havenbedrijf")
	started := "knoop: no local PostgreSQL answered; started an embedded PostgreSQL in " + filepath.Join(data, "knoop", "postgres") + "\n"
	if r.code != 0 || !strings.Contains(r.stderr, started) || !strings.Contains(r.stdout, "logistiek") {
		t.Fatalf("first run: %v", r)
	}
	if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
		c.Close()
		t.Fatal("the embedded PostgreSQL still runs after the console ended")
	}
	r = knoop(t, envs, strings.NewReader("who logistiek\n"), "console", "--as", "bob")
	if r.code != 0 || !strings.Contains(r.stderr, started) || !strings.Contains(r.stdout, "anna") {
		t.Fatalf("second run does not find the first one's data: %v", r)
	}
}
