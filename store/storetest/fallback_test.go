package storetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"knoop/store/pgembed"
)

func freePort(t *testing.T) uint32 {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return uint32(l.Addr().(*net.TCPAddr).Port)
}

// closedAddr is an address nothing listens on.
func closedAddr(t *testing.T) string {
	return fmt.Sprintf("127.0.0.1:%d", freePort(t))
}

func noEnv(string) string { return "" }

// TestEmbeddedHelperProcess is not a test: TestFallbackStartsOneSharedEmbeddedServer
// runs the test binary with it to get other test processes asking for the
// shared server at the same time.
func TestEmbeddedHelperProcess(t *testing.T) {
	dir := os.Getenv("KNOOP_STORETEST_EMBED_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	var port uint32
	fmt.Sscan(os.Getenv("KNOOP_STORETEST_EMBED_PORT"), &port)
	url, started, err := sharedEmbedded(dir, port, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("helper: started=%v url=%s\n", started, url)
}

// With no PostgreSQL at the probed address and KNOOP_TEST_DATABASE_URL
// unset, test processes arriving together get one embedded server, started
// by one of them and reused by the others; schemas work on it.
func TestFallbackStartsOneSharedEmbeddedServer(t *testing.T) {
	if !Unprivileged(t) {
		return
	}
	// Not t.TempDir(): the server's socket path must stay under 108 bytes.
	base, err := os.MkdirTemp("", "pg")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "knoop-test-postgres")
	port := freePort(t)
	t.Cleanup(func() { _ = os.RemoveAll(base) })
	t.Cleanup(func() {
		bin, _ := pgembed.Installed()
		if out, err := exec.Command(filepath.Join(bin, "bin", "pg_ctl"), "stop", "-m", "fast", "-D", filepath.Join(dir, "data")).CombinedOutput(); err != nil {
			t.Errorf("stopping the embedded server: %v\n%s", err, out)
		}
	})

	var procs []*exec.Cmd
	var outs []*strings.Builder
	for i := 0; i < 2; i++ {
		var b strings.Builder
		cmd := exec.Command(os.Args[0], "-test.run=^TestEmbeddedHelperProcess$", "-test.v")
		cmd.Env = append(os.Environ(), "KNOOP_STORETEST_EMBED_DIR="+dir, fmt.Sprintf("KNOOP_STORETEST_EMBED_PORT=%d", port))
		cmd.Stdout, cmd.Stderr = &b, &b
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs, outs = append(procs, cmd), append(outs, &b)
	}
	var said strings.Builder
	url, err := resolve(noEnv, closedAddr(t), dir, port, &said)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("postgres://postgres:postgres@127.0.0.1:%d/test?sslmode=disable", port)
	if url != want {
		t.Fatalf("url = %q, want %q", url, want)
	}
	starts := strings.Count(said.String(), "started an embedded PostgreSQL in "+dir)
	for i, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatalf("helper process: %v\n%s", err, outs[i])
		}
		out := outs[i].String()
		if !strings.Contains(out, "url="+want) {
			t.Fatalf("helper process got another server:\n%s", out)
		}
		starts += strings.Count(out, "started=true")
	}
	if starts != 1 {
		t.Fatalf("%d starts, want 1; this process said %q, helpers said %q / %q", starts, said.String(), outs[0], outs[1])
	}

	// Schemas work on it, and a later run reuses it without a word.
	ctx := context.Background()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE SCHEMA fallback_probe; CREATE TABLE fallback_probe.t (x int); DROP SCHEMA fallback_probe CASCADE"); err != nil {
		t.Fatal(err)
	}
	said.Reset()
	if again, started, err := sharedEmbedded(dir, port, &said); err != nil || started || again != url || said.Len() != 0 {
		t.Fatalf("second use: %q started=%v err=%v said %q", again, started, err, said.String())
	}
}

// KNOOP_TEST_DATABASE_URL wins; else an answering server at the probed
// address is used and nothing is started.
func TestResolveOrder(t *testing.T) {
	dir := t.TempDir()
	env := func(k string) string {
		if k == "KNOOP_TEST_DATABASE_URL" {
			return "postgres://someone@db.invalid/x"
		}
		return ""
	}
	if u, err := resolve(env, closedAddr(t), dir, freePort(t), nil); err != nil || u != "postgres://someone@db.invalid/x" {
		t.Fatalf("with KNOOP_TEST_DATABASE_URL: %q, %v", u, err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if u, err := resolve(noEnv, l.Addr().String(), dir, freePort(t), nil); err != nil || u != DefaultURL {
		t.Fatalf("with a server answering: %q, %v", u, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("something was started in %s: %v", dir, entries)
	}
}

// A connection that misses the test's schema finds no tables: public is
// empty, so the query fails instead of reading someone else's data.
func TestQueryWithoutSchemaFails(t *testing.T) {
	s := Schema(t)
	ctx := context.Background()
	var n int
	if err := s.Pool().QueryRow(ctx, "SELECT count(*) FROM members").Scan(&n); err != nil {
		t.Fatalf("in the schema: %v", err)
	}
	c, err := pgx.Connect(ctx, URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	err = c.QueryRow(ctx, "SELECT count(*) FROM members").Scan(&n)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42P01" { // undefined_table
		t.Fatalf("without the schema: %v, want undefined_table", err)
	}
	if err := checkPublicEmpty(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "CREATE SCHEMA storetest_public_probe"); err != nil {
		t.Fatal(err)
	}
	defer c.Exec(ctx, "DROP SCHEMA storetest_public_probe CASCADE")
	// The check looks at public only; a table there is named.
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "CREATE TABLE public.storetest_stray (x int)"); err != nil {
		t.Fatal(err)
	}
	err = checkPublicEmpty(ctx, tx.Conn())
	if err == nil || !strings.Contains(err.Error(), "storetest_stray") {
		t.Fatalf("with a table in public: %v", err)
	}
}
