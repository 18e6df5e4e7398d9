package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	matrixadapter "knoop/adapters/matrix"
	slackadapter "knoop/adapters/slack"
	"knoop/store"
	"knoop/store/lexicon"
)

// checkTimeout bounds each network check of knoop doctor.
const checkTimeout = 10 * time.Second

// report prints knoop doctor's lines: "ok", "FAIL" or "skip", what was
// checked, what was found, and for a failure how to fix it.
type report struct {
	w     io.Writer
	fails int
}

func (r *report) ok(what, detail string) { fmt.Fprintf(r.w, "ok    %-18s %s\n", what, detail) }

func (r *report) skip(what, why string) { fmt.Fprintf(r.w, "skip  %-18s %s\n", what, why) }

func (r *report) fail(what string, err error, fix string) {
	r.fails++
	fmt.Fprintf(r.w, "FAIL  %-18s %s — fix: %s\n", what, oneLine(err.Error()), fix)
}

// runDoctor checks the configuration and everything `knoop run` needs,
// one line per check, and fails when something is missing. It changes
// nothing: no migration, no login, no connection kept.
func runDoctor(e env, args []string) error {
	fs, cfgPath := e.flags("doctor")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := &report{w: e.stdout}
	cfg, err := e.config(*cfgPath, explicitFlag(fs, "config"))
	if err != nil {
		r.fail("config", err, "correct the file or the KNOOP_* variables (see config.example.toml)")
		return fmt.Errorf("%d check(s) failed", r.fails)
	}
	r.ok("config", "valid ("+*cfgPath+" if present, and KNOOP_* variables)")
	st := doctorDatabase(e, cfg, r)
	if st != nil {
		defer st.Close()
	}
	if cfg.Slack.BotToken == "" && cfg.Matrix.Homeserver == "" {
		r.fail("platforms", errors.New("neither Slack nor Matrix is configured"),
			"set [slack] bot_token (KNOOP_SLACK_BOT_TOKEN) or [matrix] homeserver (KNOOP_MATRIX_HOMESERVER)")
	}
	doctorSlack(e.ctx, cfg, r)
	doctorMatrix(e.ctx, cfg, st, r)
	doctorDictionary(cfg, r)
	if r.fails > 0 {
		return fmt.Errorf("%d check(s) failed", r.fails)
	}
	return nil
}

// doctorDatabase checks PostgreSQL answers and its schema is current; it
// returns the store (not migrated) for the checks that read it, or nil.
func doctorDatabase(e env, cfg Config, r *report) *store.Store {
	if cfg.Database.URL == "" {
		r.fail("database", errors.New("no database configured"), "set [database] url or KNOOP_DATABASE_URL (knoop run needs PostgreSQL)")
		return nil
	}
	pc, err := pgxpool.ParseConfig(cfg.Database.URL)
	if err != nil {
		r.fail("database", errors.New("the url does not parse"), "use postgres://user:password@host:5432/dbname?sslmode=…")
		return nil
	}
	pc.MaxConns = 2
	pc.ConnConfig.ConnectTimeout = 5 * time.Second
	ctx, cancel := context.WithTimeout(e.ctx, checkTimeout)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		if pool != nil {
			pool.Close()
		}
		r.fail("database", err, fmt.Sprintf("start PostgreSQL or correct the url (host %s, database %s, user %s)", pc.ConnConfig.Host, pc.ConnConfig.Database, pc.ConnConfig.User))
		return nil
	}
	var version string
	_ = pool.QueryRow(ctx, `SHOW server_version`).Scan(&version)
	r.ok("database", fmt.Sprintf("PostgreSQL %s at %s, database %s", version, pc.ConnConfig.Host, pc.ConnConfig.Database))
	current, latest, err := store.SchemaVersion(ctx, pool)
	switch {
	case err != nil:
		r.fail("schema", err, "check the user may read the database")
	case current < latest:
		// knoop run migrates at start, so this is only a problem when
		// the database user may not create tables.
		var canCreate bool
		if err := pool.QueryRow(ctx, `SELECT has_schema_privilege(current_schema(), 'CREATE')`).Scan(&canCreate); err != nil || !canCreate {
			r.fail("schema", fmt.Errorf("at version %d, this knoop needs %d, and the user may not create tables", current, latest),
				"grant CREATE on the schema to the database user, or run `knoop migrate` as a user who may")
			break
		}
		r.ok("schema", fmt.Sprintf("at version %d; knoop run migrates it to %d at start (or run `knoop migrate` now)", current, latest))
	case current > latest:
		r.fail("schema", fmt.Errorf("at version %d, newer than this knoop knows (%d)", current, latest),
			"run the knoop version that migrated it, or newer")
	default:
		r.ok("schema", fmt.Sprintf("version %d, current", current))
	}
	return store.New(pool, slog.New(slog.DiscardHandler))
}

func doctorSlack(ctx context.Context, cfg Config, r *report) {
	if cfg.Slack.BotToken == "" {
		r.skip("slack", "not configured ([slack] bot_token)")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	id, err := slackadapter.CheckBotToken(ctx, cfg.Slack.APIURL, cfg.Slack.BotToken)
	if err != nil {
		r.fail("slack bot token", err, "set KNOOP_SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) under OAuth & Permissions, reinstalling the app if it was revoked")
	} else {
		r.ok("slack bot token", fmt.Sprintf("bot %s (%s) in %s (%s)", id.User, id.UserID, id.Team, id.TeamID))
		switch missing := id.MissingScopes(); {
		case id.Scopes == nil:
			r.skip("slack scopes", "Slack did not list the token's scopes")
		case len(missing) > 0:
			r.fail("slack scopes", fmt.Errorf("missing %s", strings.Join(missing, ", ")),
				"add them under OAuth & Permissions → Bot Token Scopes (or update the app from slack-app-manifest.yaml) and reinstall the app")
		default:
			r.ok("slack scopes", fmt.Sprintf("all %d the manifest asks for", len(slackadapter.RequiredScopes)))
		}
	}
	if cfg.Slack.Mode == "http" {
		r.skip("slack app token", "HTTP mode does not use Socket Mode")
		if cfg.Slack.SigningSecret == "" {
			r.fail("slack signing", errors.New("no signing secret"), "set KNOOP_SLACK_SIGNING_SECRET (Basic Information → Signing Secret)")
		} else {
			r.ok("slack signing", "signing secret set; Slack's requests go to http.listen "+cfg.HTTP.Listen+" /slack/…")
		}
		return
	}
	if !strings.HasPrefix(cfg.Slack.AppToken, "xapp-") {
		r.fail("slack app token", errors.New("no app-level token (xapp-…)"), "create one with the connections:write scope under Basic Information → App-Level Tokens and set KNOOP_SLACK_APP_TOKEN")
		return
	}
	if err := slackadapter.CheckAppToken(ctx, cfg.Slack.APIURL, cfg.Slack.AppToken); err != nil {
		r.fail("slack app token", err, "set KNOOP_SLACK_APP_TOKEN to an app-level token with connections:write, and turn Socket Mode on for the app")
		return
	}
	r.ok("slack app token", "Socket Mode connections open")
}

func doctorMatrix(ctx context.Context, cfg Config, st *store.Store, r *report) {
	if cfg.Matrix.Homeserver == "" {
		r.skip("matrix", "not configured ([matrix] homeserver)")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	v, err := matrixadapter.CheckHomeserver(ctx, cfg.Matrix.Homeserver)
	if err != nil {
		r.fail("matrix homeserver", err, "check [matrix] homeserver (KNOOP_MATRIX_HOMESERVER) is the client API base URL, e.g. https://matrix.example.org")
		return
	}
	r.ok("matrix homeserver", cfg.Matrix.Homeserver+" speaks Matrix "+v)
	token, from := cfg.Matrix.AccessToken, "access_token"
	if token == "" && st != nil {
		if kept, ok, err := st.State(ctx, matrixadapter.Platform, matrixadapter.TokenKey(cfg.Matrix.UserID)); err == nil && ok {
			token, from = kept, "the token kept from the password login"
		}
	}
	switch {
	case cfg.Matrix.UserID == "":
		r.fail("matrix login", errors.New("no user_id"), "set [matrix] user_id (KNOOP_MATRIX_USER_ID), e.g. @knoop:example.org")
	case token == "" && cfg.Matrix.Password != "":
		r.skip("matrix login", "password set: knoop run logs in once and keeps the token (not tried here, it would create a device)")
	case token == "":
		r.fail("matrix login", errors.New("no access_token or password"), "set KNOOP_MATRIX_ACCESS_TOKEN, or KNOOP_MATRIX_PASSWORD for a one-time login")
	default:
		device, err := matrixadapter.CheckToken(ctx, cfg.Matrix.Homeserver, cfg.Matrix.UserID, token)
		if err != nil {
			fix := "set KNOOP_MATRIX_ACCESS_TOKEN to a valid token of " + cfg.Matrix.UserID
			if cfg.Matrix.Password != "" {
				fix += " (knoop run falls back to the password)"
			}
			r.fail("matrix login", err, fix)
		} else {
			r.ok("matrix login", fmt.Sprintf("%s, device %s, with %s", cfg.Matrix.UserID, device, from))
		}
	}
	if st == nil {
		r.skip("matrix encryption", "needs the database")
		return
	}
	db := st.SQLDB()
	defer db.Close()
	detail, err := matrixadapter.CheckCryptoStore(ctx, db, st, cfg.Matrix.UserID)
	if err != nil {
		r.fail("matrix encryption", err, "restore the database's adapter_state rows, or delete the account's crypto_* rows so knoop run creates new keys (encrypted rooms then need the new device verified again)")
		return
	}
	r.ok("matrix encryption", detail)
}

// doctorDictionary reports whether the general Dutch-English dictionary
// is installed. Knoop works without it (who-questions then cross
// languages only through the vocabulary and cognates), so it never fails.
func doctorDictionary(cfg Config, r *report) {
	dir := cfg.Network.Dictionary
	if dir == "" {
		dir = lexicon.DefaultDir
	}
	d, err := lexicon.Load(dir)
	if err != nil {
		r.skip("dictionary", "Dutch-English dictionary not available ("+oneLine(err.Error())+
			"); install dict-freedict-nld-eng and dict-freedict-eng-nld or set [network] dictionary")
		return
	}
	r.ok("dictionary", fmt.Sprintf("FreeDict Dutch-English in %s (%d entries)", dir, d.Len()))
}
