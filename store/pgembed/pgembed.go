// Package pgembed starts a private PostgreSQL server from the PostgreSQL
// installed on the machine (github.com/fergusstrange/embedded-postgres; it
// downloads binaries only when none are installed). `knoop console` uses it
// when no database is configured and none answers locally; the tests use it
// (through store/storetest) when no PostgreSQL answers at 127.0.0.1:5432.
package pgembed

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
)

// Options say where the server keeps its files and where it listens.
type Options struct {
	// Dir holds the data (Dir/data), the runtime files and socket
	// (Dir/run) and downloaded binaries, if any (Dir/cache). Data in
	// Dir/data from an earlier start of the same major version is kept.
	Dir string
	// Port is the TCP port on 127.0.0.1.
	Port uint32
	// Database is created on the first start.
	Database string
}

// ErrRoot is returned when the process runs as root: PostgreSQL refuses to.
var ErrRoot = errors.New("PostgreSQL refuses to run as root: run as an ordinary user, or start a PostgreSQL server and point Knoop at it")

// Start starts the server and returns it with its URL (user postgres,
// password postgres, sslmode=disable). The server runs as its own process
// until Stop is called: it outlives the caller if the caller does not stop it.
func Start(o Options) (*embeddedpostgres.EmbeddedPostgres, string, error) {
	if os.Geteuid() == 0 {
		return nil, "", ErrRoot
	}
	run := filepath.Join(o.Dir, "run")
	var logs bytes.Buffer
	cfg := embeddedpostgres.DefaultConfig().
		Port(o.Port).Database(o.Database).
		RuntimePath(run).
		DataPath(filepath.Join(o.Dir, "data")).
		CachePath(filepath.Join(o.Dir, "cache")).
		StartTimeout(30 * time.Second).
		// The server's socket goes next to its data, not to the system's
		// socket directory, which an ordinary user may not write.
		StartParameters(map[string]string{"unix_socket_directories": run}).
		Logger(&logs)
	if bin, major := Installed(); bin != "" {
		// The library keeps a data directory only when its PG_VERSION
		// matches the configured version, so name the installed major.
		cfg = cfg.BinariesPath(bin).Version(embeddedpostgres.PostgresVersion(major + ".0.0"))
	}
	ep := embeddedpostgres.NewDatabase(cfg)
	if err := ep.Start(); err != nil {
		return nil, "", fmt.Errorf("starting an embedded PostgreSQL in %s: %w\n%s", o.Dir, err, lastLines(logs.String(), 5))
	}
	return ep, fmt.Sprintf("postgres://postgres:postgres@127.0.0.1:%d/%s?sslmode=disable", o.Port, o.Database), nil
}

// Installed finds the directory holding bin/pg_ctl of a PostgreSQL
// installed on this machine and its major version, or "".
func Installed() (dir, major string) {
	var bin string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		bin = strings.TrimSpace(string(out))
	}
	if _, err := os.Stat(filepath.Join(bin, "pg_ctl")); bin == "" || err != nil {
		// Debian and Ubuntu keep the server binaries out of PATH.
		matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
		if len(matches) == 0 {
			return "", ""
		}
		bin = filepath.Dir(matches[len(matches)-1])
	}
	out, err := exec.Command(filepath.Join(bin, "pg_ctl"), "--version").Output()
	if err != nil {
		return "", ""
	}
	// "pg_ctl (PostgreSQL) 15.20 (Debian …)"
	fields := strings.Fields(string(out))
	if len(fields) < 3 {
		return "", ""
	}
	major, _, _ = strings.Cut(fields[2], ".")
	return filepath.Dir(bin), major
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
