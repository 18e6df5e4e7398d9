package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"knoop/store"
	"knoop/store/pgembed"
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

// Where the fallback looks. Variables only so the fallback's own tests can
// point them elsewhere (a closed port, a free one); nothing else sets them.
var (
	// localCandidates are the local PostgreSQL endpoints tried in order:
	// the PG* environment variables and the default socket, then
	// 127.0.0.1 as the postgres user.
	localCandidates = []string{"", "host=127.0.0.1 port=5432 user=postgres sslmode=disable"}
	// embeddedPort is where the embedded PostgreSQL listens when Knoop has
	// to start one.
	embeddedPort uint32 = 54329
)

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

// localDatabase tries the usual local PostgreSQL endpoints
// (localCandidates) and returns a configuration for database knoop,
// creating it if missing.
func localDatabase(ctx context.Context) (*pgx.ConnConfig, string, error) {
	var errs []error
	for _, base := range localCandidates {
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

// startEmbedded starts PostgreSQL (store/pgembed) in the user's data
// directory, from the PostgreSQL installed on the machine when it finds one,
// so nothing has to be downloaded.
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
	ep, url, err = pgembed.Start(pgembed.Options{Dir: dir, Port: embeddedPort, Database: "knoop"})
	if err != nil {
		return "", nil, "", err
	}
	return url, ep, dir, nil
}
