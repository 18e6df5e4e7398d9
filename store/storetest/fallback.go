package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"knoop/store/pgembed"
)

// When KNOOP_TEST_DATABASE_URL is unset and nothing answers at
// 127.0.0.1:5432, the tests use an embedded PostgreSQL (store/pgembed, the
// one `knoop console` falls back to) with its files in
// $XDG_CACHE_HOME/knoop-test-postgres (else $HOME/.cache/knoop-test-postgres),
// listening on 127.0.0.1:54330. The first test binary that needs it starts
// it; the others (go test runs packages in parallel) find it answering and
// reuse it. It is left running for the next runs (a start takes seconds);
// stop it with `pg_ctl -D ~/.cache/knoop-test-postgres/data stop`.
const (
	defaultAddr  = "127.0.0.1:5432"
	fallbackPort = 54330
)

var resolved struct {
	once sync.Once
	url  string
	err  error
}

// resolveURL picks the test database once per test binary.
func resolveURL() (string, error) {
	resolved.once.Do(func() {
		resolved.url, resolved.err = resolve(os.Getenv, defaultAddr, cacheDir(), fallbackPort, os.Stderr)
	})
	return resolved.url, resolved.err
}

// resolve returns KNOOP_TEST_DATABASE_URL if set, else DefaultURL if
// something accepts connections at probe, else the URL of the shared
// embedded server in dir (started if needed).
func resolve(getenv func(string) string, probe, dir string, port uint32, w io.Writer) (string, error) {
	if u := getenv("KNOOP_TEST_DATABASE_URL"); u != "" {
		return u, nil
	}
	c, err := net.DialTimeout("tcp", probe, 2*time.Second)
	if err == nil {
		c.Close()
		return DefaultURL, nil
	}
	url, _, err := sharedEmbedded(dir, port, w)
	if err != nil {
		return "", fmt.Errorf("no PostgreSQL answered at %s, KNOOP_TEST_DATABASE_URL is unset, and the embedded fallback failed: %w", probe, err)
	}
	return url, nil
}

func cacheDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "knoop-test-postgres")
	}
	if d, err := os.UserHomeDir(); err == nil {
		return filepath.Join(d, ".cache", "knoop-test-postgres")
	}
	return filepath.Join(os.TempDir(), "knoop-test-postgres")
}

// sharedEmbedded returns the URL of the embedded server kept in dir and
// listening on port, starting it when nothing answers there. It holds an
// exclusive lock on dir/lock meanwhile, so of several test binaries
// arriving together one starts the server and the others wait and reuse
// it. started reports whether this call started it; it then writes one line
// to w.
func sharedEmbedded(dir string, port uint32, w io.Writer) (url string, started bool, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, err
	}
	unlock, err := lockFile(filepath.Join(dir, "lock"))
	if err != nil {
		return "", false, fmt.Errorf("locking %s: %w", dir, err)
	}
	defer unlock()

	url = fmt.Sprintf("postgres://postgres:postgres@127.0.0.1:%d/test?sslmode=disable", port)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err == nil {
		_ = c.Close(ctx)
		return url, false, nil
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		// Something answers on the port but does not let us in: not ours.
		return "", false, fmt.Errorf("127.0.0.1:%d answers but is not the tests' PostgreSQL: %w", port, err)
	}
	t0 := time.Now()
	_, got, err := pgembed.Start(pgembed.Options{Dir: dir, Port: port, Database: "test"})
	if err != nil {
		return "", false, err
	}
	if got != url {
		return "", false, fmt.Errorf("embedded PostgreSQL at %s, want %s", got, url)
	}
	fmt.Fprintf(w, "storetest: no PostgreSQL at %s and KNOOP_TEST_DATABASE_URL unset: started an embedded PostgreSQL in %s on port %d in %v; it stays running for the next runs (stop it with: pg_ctl -D %s stop)\n",
		defaultAddr, dir, port, time.Since(t0).Round(time.Millisecond), filepath.Join(dir, "data"))
	return url, true, nil
}
