package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/store"
)

// database is an open store plus whatever must stop with it.
type database struct {
	store    *store.Store
	embedded *embeddedpostgres.EmbeddedPostgres
}

func (d *database) close() {
	d.store.Close()
	if d.embedded != nil {
		_ = d.embedded.Stop()
	}
}

// embeddedPort is where the embedded PostgreSQL listens when Knoop has to
// start one.
const embeddedPort = 54329

// openDatabase opens the configured database. Without one and with
// fallback set, it uses a local PostgreSQL if one answers (creating the
// database "knoop"), else starts an embedded PostgreSQL in the user's data
// directory. One line on stderr says which it chose.
func openDatabase(e env, cfg Config, log *slog.Logger, fallback bool) (*database, error) {
	pc, emb, err := databaseConfig(e, cfg, log, fallback)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	s, err := store.OpenConfig(ctx, pc, log)
	if err != nil {
		if emb != nil {
			_ = emb.Stop()
		}
		return nil, err
	}
	return &database{store: s, embedded: emb}, nil
}

// databaseConfig finds the database as openDatabase describes, without
// connecting to it through the store. The caller stops the embedded
// PostgreSQL, if one was started.
func databaseConfig(e env, cfg Config, log *slog.Logger, fallback bool) (*pgxpool.Config, *embeddedpostgres.EmbeddedPostgres, error) {
	var emb *embeddedpostgres.EmbeddedPostgres
	var pc *pgxpool.Config
	switch {
	case cfg.Database.URL != "":
		var err error
		if pc, err = pgxpool.ParseConfig(cfg.Database.URL); err != nil {
			return nil, nil, fmt.Errorf("database url: %w", err)
		}
		fmt.Fprintln(e.stderr, "knoop: using the configured database")
	case !fallback:
		return nil, nil, errors.New("no database configured: set database.url or KNOOP_DATABASE_URL")
	default:
		local, where, err := localDatabase(e.ctx)
		if err == nil {
			pc, _ = pgxpool.ParseConfig("")
			pc.ConnConfig = local
			fmt.Fprintf(e.stderr, "knoop: using local PostgreSQL at %s, database knoop\n", where)
			break
		}
		log.Debug("no local postgres", "err", err)
		var url string
		url, emb, where, err = startEmbedded(e.getenv)
		if err != nil {
			return nil, nil, fmt.Errorf("no PostgreSQL answered locally and the embedded one did not start: %w", err)
		}
		if pc, err = pgxpool.ParseConfig(url); err != nil {
			_ = emb.Stop()
			return nil, nil, err
		}
		fmt.Fprintf(e.stderr, "knoop: no local PostgreSQL answered; started an embedded PostgreSQL in %s\n", where)
	}
	pc.MaxConns = cfg.Database.MaxConns
	return pc, emb, nil
}

// localDatabase tries the usual local PostgreSQL endpoints (the PG*
// environment variables and the default socket, then 127.0.0.1 as the
// postgres user) and returns a configuration for database knoop, creating
// it if missing.
func localDatabase(ctx context.Context) (*pgx.ConnConfig, string, error) {
	candidates := []string{"", "host=127.0.0.1 port=5432 user=postgres sslmode=disable"}
	var errs []error
	for _, base := range candidates {
		cfg, err := pgx.ParseConfig(base)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cfg.ConnectTimeout = 2 * time.Second
		where := fmt.Sprintf("%s:%d as %s", cfg.Host, cfg.Port, cfg.User)
		cfg.Database = "knoop"
		if err := ping(ctx, cfg); err != nil {
			var pgErr *pgconn.PgError
			if !errors.As(err, &pgErr) || pgErr.Code != "3D000" { // invalid_catalog_name
				errs = append(errs, err)
				continue
			}
			if err := createDatabase(ctx, cfg); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		cfg.ConnectTimeout = 0
		return cfg, where, nil
	}
	return nil, "", errors.Join(errs...)
}

func ping(ctx context.Context, cfg *pgx.ConnConfig) error {
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	return c.Close(ctx)
}

func createDatabase(ctx context.Context, cfg *pgx.ConnConfig) error {
	admin := cfg.Copy()
	admin.Database = "postgres"
	c, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "CREATE DATABASE knoop")
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by another process
		return nil
	}
	return err
}

// startEmbedded starts PostgreSQL from the user's data directory. It uses
// the PostgreSQL binaries installed on the machine when it finds them, so
// nothing has to be downloaded.
func startEmbedded(getenv func(string) string) (url string, ep *embeddedpostgres.EmbeddedPostgres, where string, err error) {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", nil, "", err
		}
		dir = filepath.Join(home, ".local", "share")
	}
	dir = filepath.Join(dir, "knoop", "postgres")
	run := filepath.Join(dir, "run")
	var logs bytes.Buffer
	cfg := embeddedpostgres.DefaultConfig().
		Port(embeddedPort).Database("knoop").
		RuntimePath(run).
		DataPath(filepath.Join(dir, "data")).
		CachePath(filepath.Join(dir, "cache")).
		StartTimeout(30 * time.Second).
		// The server's socket goes next to its data, not to the system's
		// socket directory, which an ordinary user may not write.
		StartParameters(map[string]string{"unix_socket_directories": run}).
		Logger(&logs)
	if bin, major := installedPostgres(); bin != "" {
		// The library keeps a data directory only when its PG_VERSION
		// matches the configured version, so name the installed major.
		cfg = cfg.BinariesPath(bin).Version(embeddedpostgres.PostgresVersion(major + ".0.0"))
	}
	ep = embeddedpostgres.NewDatabase(cfg)
	if err := ep.Start(); err != nil {
		return "", nil, "", fmt.Errorf("%w\n%s", err, lastLines(logs.String(), 5))
	}
	return fmt.Sprintf("postgres://postgres:postgres@127.0.0.1:%d/knoop?sslmode=disable", embeddedPort), ep, dir, nil
}

// installedPostgres finds the directory holding bin/pg_ctl of a
// PostgreSQL installed on this machine and its major version, or "".
func installedPostgres() (dir, major string) {
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
