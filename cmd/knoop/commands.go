package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/term"

	"knoop/adapters/console"
	matrixadapter "knoop/adapters/matrix"
	slackadapter "knoop/adapters/slack"
	"knoop/bot"

	"knoop/bot/metrics"
	"knoop/store"
)

func runConsole(e env, args []string) error {
	fs, cfgPath := e.flags("console")
	as := fs.String("as", "", "the member you chat as (default: your login name); `/as NAME` switches")
	org := fs.String("org", "", "your organisation, for a member seen for the first time")
	lang := fs.String("lang", "", "your language when a message does not tell: en or nl")
	room := fs.String("room", "console", "the room (and so the network) you talk in")
	webMode := fs.String("web", "auto", "serve the network page and print your sign-in link on stderr: auto (on a terminal), on, off")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *webMode != "auto" && *webMode != "on" && *webMode != "off" {
		return usageError(fs, "--web must be auto, on or off, got %q", *webMode)
	}
	if *lang != "" && *lang != bot.EN && *lang != bot.NL {
		return usageError(fs, "--lang must be en or nl, got %q", *lang)
	}
	if *as != "" && !console.ValidName(*as) {
		return usageError(fs, "--as %q is not a valid name: use letters, digits, '.', '-' or '_', at most 64", *as)
	}
	if strings.TrimSpace(*room) == "" {
		return usageError(fs, "--room must not be empty")
	}
	cfg, log, db, err := e.openDB(fs, *cfgPath, true)
	if err != nil {
		return err
	}
	defer db.close()

	user := strings.TrimPrefix(*as, "@")
	if user == "" {
		user = loginName(e)
	}
	interactive := false
	if f, ok := e.stdin.(*os.File); ok {
		interactive = term.IsTerminal(int(f.Fd()))
	}
	opts := []bot.Option{bot.WithNetworkDefaults(cfg.Network.Timezone, cfg.Network.Language)}
	serveWeb := *webMode == "on" || (*webMode == "auto" && interactive)
	var page *webPage
	if serveWeb {
		// The newcomer's first command shows the network page too: on a
		// free local port unless [web] listen names one.
		addr := cfg.Web.Listen
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		if page, err = startWeb(db.store, log, addr, cfg.Web.BaseURL, nil); err != nil {
			return err
		}
		defer page.Stop(e.ctx)
		opts = append(opts, bot.WithWebURL(page.base))
	}
	copts := console.Options{
		User: user, Org: *org, Lang: *lang, Room: *room, Interactive: interactive, Coordinator: cfg.Console.Coordinator,
	}
	a := console.New(e.stdin, e.stdout, copts)
	opts = append(opts, bot.WithAdapters(a), bot.WithIntroLimit(cfg.Limits.IntrosPerWeek))
	b := bot.New(db.store, log, opts...)
	if page != nil {
		// stderr, so a script's stdout stays exactly its replies.
		link, err := b.WebLink(e.ctx, console.Message(copts, ""))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "Network page: %s\n  (your sign-in link as %s: it works once, for 15 minutes; type `web` for a new one)\n", link, user)
	}
	if !interactive {
		// A script gets exactly its replies: no digest or reminder
		// arrives in between.
		return a.Run(e.ctx, b)
	}
	// In a terminal, scheduled digests and reminders for console rooms
	// arrive while you chat.
	sched, err := bot.NewScheduler(b, []bot.Adapter{a}, bot.SchedulerOptions{})
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(e.ctx)
	schedDone := make(chan error, 1)
	go func() { schedDone <- sched.Run(ctx, schedulerGrace) }()
	err = a.Run(ctx, b)
	stop()
	<-schedDone
	return err
}

// schedulerGrace is how long digests and reminders being sent may finish
// when Knoop stops.
const schedulerGrace = 10 * time.Second

func runDigest(e env, args []string) error {
	fs, cfgPath := e.flags("digest")
	room := fs.String("room", "", "the room whose digest to show (required)")
	platform := fs.String("platform", console.Platform, "the room's platform: console, slack or matrix")
	dryRun := fs.Bool("dry-run", false, "print the next digest without sending it (the only mode so far)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*room) == "" {
		return usageError(fs, "--room is required")
	}
	if !*dryRun {
		return usageError(fs, "only --dry-run is supported: digests are sent by `knoop run` on their schedule, or by `digest now` in the room")
	}
	cfg, log, db, err := e.openDB(fs, *cfgPath, true)
	if err != nil {
		return err
	}
	defer db.close()
	b := bot.New(db.store, log, bot.WithNetworkDefaults(cfg.Network.Timezone, cfg.Network.Language))
	text, err := b.DigestPreview(e.ctx, *platform, *room)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

func loginName(e env) string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := e.getenv(k); v != "" && console.ValidName(v) {
			return v
		}
	}
	return "me"
}

func runRun(e env, args []string) error {
	fs, cfgPath := e.flags("run")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := e.config(*cfgPath, explicitFlag(fs, "config"))
	if err != nil {
		return err
	}
	log := e.logger(cfg, false)
	m := metrics.New()
	adapters, err := configuredAdapters(cfg, log, m)
	if err != nil {
		return err
	}
	if len(adapters) == 0 {
		return errors.New("no chat platform is configured: set [slack] bot_token and app_token, or [matrix] homeserver, user_id and access_token or password (see config.example.toml), or try `knoop console`")
	}
	if cfg.Database.URL == "" {
		return errors.New("database.url (or KNOOP_DATABASE_URL) is required for `knoop run`")
	}
	// ops answers /healthz, /readyz and /metrics; web carries Slack's
	// HTTP-mode endpoints. They are one server unless [http] ops_listen
	// gives the ops endpoints their own, so that listen can face the
	// internet with nothing but Slack's endpoints on it.
	var ops, web *opsServer
	var servers []*opsServer
	if cfg.HTTP.Listen != "" {
		if web, err = newOpsServer(cfg.HTTP.Listen, m, cfg.HTTP.OpsListen == "", cfg.HTTP.Pprof); err != nil {
			return err
		}
		servers = append(servers, web)
		if cfg.HTTP.OpsListen == "" {
			ops = web
			log.Info("http listening", "addr", web.Addr(), "endpoints", "/healthz /readyz /metrics")
		} else {
			log.Info("http listening", "addr", web.Addr(), "endpoints", "/slack/ (in Slack HTTP mode)")
		}
	}
	if cfg.HTTP.OpsListen != "" {
		if ops, err = newOpsServer(cfg.HTTP.OpsListen, m, true, cfg.HTTP.Pprof); err != nil {
			for _, s := range servers {
				_ = s.ln.Close()
			}
			return err
		}
		servers = append(servers, ops)
		log.Info("ops listening", "addr", ops.Addr(), "endpoints", "/healthz /readyz /metrics")
	}
	db, err := openDatabase(e, cfg, log, false)
	if err != nil {
		for _, s := range servers {
			_ = s.ln.Close()
		}
		return err
	}
	defer func() {
		// Work left behind by an exceeded grace holds connections, and
		// closing the pool waits for them: wait a little, not forever.
		closed := make(chan struct{})
		go func() { db.close(); close(closed) }()
		select {
		case <-closed:
		case <-time.After(2 * time.Second):
			log.Warn("database connections still busy at exit")
		}
	}()
	countStatements(m, db.store)
	// runCtx ends at SIGTERM, or when an adapter failed for good: then
	// everything stops and knoop run exits non-zero.
	runCtx, stopRun := context.WithCancel(e.ctx)
	defer stopRun()
	opts := []bot.Option{bot.WithNetworkDefaults(cfg.Network.Timezone, cfg.Network.Language), bot.WithMetrics(m),
		bot.WithRateLimit(bot.RateLimit{PerMinute: cfg.Limits.CommandsPerMinute, WhoCost: cfg.Limits.WhoCost}),
		bot.WithEventTimeout(cfg.Run.EventTimeout), bot.WithAdapters(adapters...), bot.WithIntroLimit(cfg.Limits.IntrosPerWeek)}
	if cfg.Web.Listen != "" {
		page, err := startWeb(db.store, log, cfg.Web.Listen, cfg.Web.BaseURL, servers)
		if err != nil {
			return err
		}
		defer page.Stop(e.ctx)
		opts = append(opts, bot.WithWebURL(page.base))
	}
	b := bot.New(db.store, log, opts...)
	go b.Maintain(runCtx)
	sched, err := bot.NewScheduler(b, adapters, bot.SchedulerOptions{})
	if err != nil {
		return err
	}
	schedDone := make(chan error, 1)
	go func() { schedDone <- sched.Run(runCtx, cfg.Run.ShutdownGrace) }()
	defer func() { <-schedDone }()

	// /readyz: the database answers, the scheduler works jobs and every
	// adapter is connected.
	ready := []namedCheck{
		{"database", func(ctx context.Context) (string, error) { return "", db.store.Pool().Ping(ctx) }},
		{"scheduler", func(context.Context) (string, error) { return "", sched.Ready() }},
	}
	sup := make([]*supervised, len(adapters))
	for i, a := range adapters {
		sup[i] = &supervised{a: a, giveUp: cfg.Run.AdapterGiveUp, log: log}
		r, _ := a.(readier)
		ready = append(ready, namedCheck{a.Name(), func(context.Context) (string, error) { return sup[i].ready(r) }})
		if sa, ok := a.(*slackadapter.Adapter); ok && cfg.Slack.Mode == "http" {
			web.mux.Handle("/slack/", sa.HTTPHandler())
		}
	}
	if ops != nil {
		ops.checks = ready
	}
	for _, s := range servers {
		s.Serve()
	}

	errc := make(chan error, len(adapters))
	for i, a := range adapters {
		go func() {
			log.Info("adapter starting", "platform", a.Name())
			err := sup[i].run(runCtx, b)
			if err != nil && e.ctx.Err() == nil {
				log.Error("adapter failed for good; stopping", "platform", a.Name(), "err", err)
				stopRun()
			}
			errc <- err
		}()
	}
	done := make(chan error, 1) // the first adapter error, once all returned
	go func() {
		var first error
		for range adapters {
			if err := <-errc; err != nil && first == nil && e.ctx.Err() == nil {
				first = err
			}
		}
		done <- first
	}()
	var runErr error
	select {
	case runErr = <-done:
	case <-e.ctx.Done():
		// SIGTERM: the adapters stop taking events and finish the ones
		// they took, within the grace.
		log.Info("shutting down", "grace", cfg.Run.ShutdownGrace.String())
		if ops != nil {
			ops.stopping.Store(true)
		}
		grace := time.NewTimer(cfg.Run.ShutdownGrace)
		defer grace.Stop()
		select {
		case runErr = <-done:
			log.Info("shut down cleanly")
		case <-grace.C:
			log.Error("shutdown grace exceeded: exiting with events unfinished", "grace", cfg.Run.ShutdownGrace.String())
			runErr = fmt.Errorf("events still in flight after the shutdown grace of %s", cfg.Run.ShutdownGrace)
		}
	}
	if len(servers) > 0 {
		shut, cancel := context.WithTimeout(context.WithoutCancel(e.ctx), time.Second)
		defer cancel()
		for _, s := range servers {
			_ = s.Shutdown(shut)
		}
	}
	return runErr
}

// configuredAdapters builds the adapters the configuration enables: Slack
// when it has a bot token, Matrix when it has a homeserver.
func configuredAdapters(cfg Config, log *slog.Logger, m *metrics.Metrics) ([]bot.Adapter, error) {
	var out []bot.Adapter
	if cfg.Slack.BotToken != "" {
		a, err := slackadapter.New(slackadapter.Config{
			BotToken: cfg.Slack.BotToken, AppToken: cfg.Slack.AppToken, SigningSecret: cfg.Slack.SigningSecret,
			APIURL: cfg.Slack.APIURL, Mode: cfg.Slack.Mode, Admins: cfg.Slack.Admins, External: cfg.Slack.External, Metrics: m,
			// HTTP mode is served by knoop run's one server, beside /healthz.
		}, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if cfg.Matrix.Homeserver != "" {
		a, err := matrixadapter.New(matrixadapter.Config{
			Homeserver: cfg.Matrix.Homeserver, UserID: cfg.Matrix.UserID, AccessToken: cfg.Matrix.AccessToken,
			Password: cfg.Matrix.Password, Allow: cfg.Matrix.Allow, External: cfg.Matrix.External,
			Coordinators: cfg.Matrix.Coordinators, CoordinationRooms: cfg.Matrix.CoordinationRooms, Metrics: m,
		}, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func runMigrate(e env, args []string) error {
	fs, cfgPath := e.flags("migrate")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, _, db, err := e.openDB(fs, *cfgPath, false)
	if err != nil {
		return err
	}
	defer db.close()
	st, err := db.store.MigrationStatus(e.ctx)
	if err != nil {
		return err
	}
	for _, line := range st {
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func runSeed(e env, args []string) error {
	fs, cfgPath := e.flags("seed")
	members := fs.Int("members", 1000, "how many members the synthetic network gets")
	room := fs.String("room", "seed", "the console room (network) to fill; `knoop console --room NAME` talks to it")
	seed := fs.Int64("seed", 1, "random seed, for a reproducible network")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *members < 1 || *members > 2_000_000 {
		return usageError(fs, "--members must be 1..2000000, got %d", *members)
	}
	if strings.TrimSpace(*room) == "" {
		return usageError(fs, "--room must not be empty")
	}
	cfg, _, db, err := e.openDB(fs, *cfgPath, false)
	if err != nil {
		return err
	}
	defer db.close()
	net, err := db.store.NetworkForRoom(e.ctx, console.Platform, *room, store.NetworkDefaults{Timezone: cfg.Network.Timezone, Language: cfg.Network.Language})
	if err != nil {
		return err
	}
	start := time.Now()
	st, err := db.store.Seed(e.ctx, net.ID, store.SeedOptions{Members: *members, Seed: *seed, Now: time.Now()})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded room %q (network %d): %s, %s, %s in %s\n",
		*room, net.ID, plural(st.Members, "member"), plural(st.Orgs, "organisation"), plural(st.Evidence, "evidence row"),
		time.Since(start).Round(time.Millisecond))
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// usageError prints a flag's problem with the usage and makes the command
// exit 2, like a flag that does not parse.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), format+"\n", args...)
	fs.Usage()
	return errUsage
}

func runExport(e env, args []string) error {
	fs, cfgPath := e.flags("export")
	network := fs.Int64("network", 0, "the network's id (run without flags to list them)")
	room := fs.String("room", "", "or: a room of the network")
	platform := fs.String("platform", console.Platform, "the room's platform: console, slack or matrix")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, _, db, err := e.openDB(fs, *cfgPath, true)
	if err != nil {
		return err
	}
	defer db.close()
	id := *network
	if *room != "" {
		n, err := db.store.NetworkOfRoom(e.ctx, *platform, *room)
		if err != nil {
			return fmt.Errorf("room %q on %s: %w", *room, *platform, err)
		}
		id = n.ID
	}
	if id == 0 {
		nets, err := db.store.Networks(e.ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stderr, "Choose a network with --network ID (or --room ROOM):")
		for _, n := range nets {
			fmt.Fprintf(e.stderr, "  %d  %d members  %s\n", n.ID, n.Members, n.Rooms)
		}
		return usageError(fs, "--network or --room is required")
	}
	x, err := db.store.ExportNetwork(e.ctx, id)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(x)
}

// maxImportBytes bounds an import document.
const maxImportBytes = 1 << 30

func runImport(e env, args []string) error {
	fs, cfgPath := e.flags("import")
	file := fs.String("file", "-", "the export document to read; - is standard input")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := e.config(*cfgPath, explicitFlag(fs, "config"))
	if err != nil {
		return err
	}
	in := e.stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	dec := json.NewDecoder(io.LimitReader(in, maxImportBytes))
	dec.DisallowUnknownFields()
	var x store.Export
	if err := dec.Decode(&x); err != nil {
		return fmt.Errorf("the document is not a Knoop network export: %w", err)
	}
	if dec.More() {
		return errors.New("the document has more after its end; give one export at a time")
	}
	db, err := openDatabase(e, cfg, e.logger(cfg, true), true)
	if err != nil {
		return err
	}
	defer db.close()
	progress, done := e.progressLine("importing")
	id, err := db.store.Import(e.ctx, x, store.ImportOptions{Progress: progress})
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "imported network %d: %d members, %d goals, %d commitments, %d asks, %d rooms, %d schedules\n",
		id, len(x.Members), len(x.Goals), len(x.Commitments), len(x.Asks), len(x.Rooms), len(x.Schedules))
	return nil
}

// openDB reads the configuration the command's flags name and opens its
// database (a local or embedded PostgreSQL when none is configured).
// quiet keeps the log to warnings, for commands whose output is the point.
func (e env) openDB(fs *flag.FlagSet, cfgPath string, quiet bool) (Config, *slog.Logger, *database, error) {
	cfg, err := e.config(cfgPath, explicitFlag(fs, "config"))
	if err != nil {
		return Config{}, nil, nil, err
	}
	log := e.logger(cfg, quiet)
	db, err := openDatabase(e, cfg, log, true)
	if err != nil {
		return Config{}, nil, nil, err
	}
	return cfg, log, db, nil
}

// countStatements exports the store's statement and round-trip counters
// (knoop-load --profile divides them by the commands handled).
func countStatements(m *metrics.Metrics, s *store.Store) {
	stmts := func() float64 { n, _ := s.Counts(); return float64(n) }
	trips := func() float64 { _, n := s.Counts(); return float64(n) }
	m.Registry().MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "knoop_db_statements_total",
			Help: "SQL statements sent to PostgreSQL (transaction control not counted)."}, stmts),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "knoop_db_round_trips_total",
			Help: "Requests to PostgreSQL waited for (a query, a batch, BEGIN, COMMIT)."}, trips))
}
