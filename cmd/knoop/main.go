// Command knoop runs the Knoop chat bot.
//
//	knoop console [--as NAME] [--org ORG] [--lang nl|en]   chat in the terminal
//	knoop run                                          run the bot on the configured platforms
//	knoop migrate                                      apply database migrations
//	knoop seed --members N                             fill a database with a synthetic network
//	knoop doctor                                       check the configuration and what knoop run needs
//	knoop ready [--url URL]                            ask a running knoop's /readyz (health checks)
//	knoop eval --members F --queries F [--ranker R]    measure who-ranking on a labelled set
//	knoop version                                      print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // timezones work on machines without a zoneinfo database

	"golang.org/x/term"

	"knoop/bot"
	"knoop/store/lexicon"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// env is everything a subcommand gets from the outside world, so tests can
// run the real commands in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type subcommand struct {
	name, summary string
	run           func(e env, args []string) error
}

func subcommands() []subcommand {
	return []subcommand{
		{"console", "chat with Knoop in the terminal (the embedded default)", runConsole},
		{"run", "run Knoop on the configured chat platforms", runRun},
		{"migrate", "apply database migrations and show their status", runMigrate},
		{"digest", "print the next digest of a room (--room R --dry-run)", runDigest},
		{"export", "write a network as a JSON document (--network ID or --room R)", runExport},
		{"import", "create a network from an export document (standard input or --file)", runImport},
		{"seed", "fill a database with a synthetic network (for benchmarks and demos)", runSeed},
		{"doctor", "check the configuration and everything knoop run needs", runDoctor},
		{"ready", "ask a running knoop's /readyz (exit 0 when ready; for health checks)", runReady},
		{"eval", "measure who-ranking quality on a labelled set, against BM25", runEval},
		{"version", "print the version", runVersion},
	}
}

func runMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, sc := range subcommands() {
		if sc.name == args[0] {
			err := sc.run(e, args[1:])
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			fmt.Fprintf(stderr, "knoop %s: %v\n", sc.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "knoop: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

var errUsage = errors.New("usage")

func usage(w io.Writer) {
	fmt.Fprintln(w, "Knoop — the bot that makes a business network work.")
	fmt.Fprintln(w, "\nUsage: knoop <command> [flags]\n\nCommands:")
	for _, sc := range subcommands() {
		fmt.Fprintf(w, "  %-9s %s\n", sc.name, sc.summary)
	}
	fmt.Fprintln(w, "\nRun `knoop <command> -h` for its flags. Configuration: config.toml (see config.example.toml) and KNOOP_* variables.")
}

// flags returns a flag set with the shared -config flag.
func (e env) flags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("knoop "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := e.getenv("KNOOP_CONFIG")
	if def == "" {
		def = "config.toml"
	}
	cfg := fs.String("config", def, "configuration file (optional; KNOOP_CONFIG)")
	return fs, cfg
}

// parse parses flags, turning a flag error into errUsage (already printed).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %v\n", fs.Args())
		fs.Usage()
		return errUsage
	}
	return nil
}

// config loads the configuration; the file is required only when named
// explicitly, by -config or KNOOP_CONFIG.
func (e env) config(path string, explicit bool) (Config, error) {
	cfg, err := loadConfig(path, explicit || e.getenv("KNOOP_CONFIG") != "", e.getenv)
	if err == nil {
		// The dictionary is loaded on the first who-question, from here.
		lexicon.SetDir(cfg.Network.Dictionary)
	}
	return cfg, err
}

func (e env) logger(cfg Config, quiet bool) *slog.Logger {
	level := map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn, "error": slog.LevelError}[cfg.Log.Level]
	if quiet && level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.Log.Format
	if format == "auto" {
		format = "json"
		if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			format = "text"
		}
	}
	// Records logged with an event's context carry its id (bot.WithEvent).
	if format == "json" {
		return slog.New(bot.LogHandler(slog.NewJSONHandler(e.stderr, opts)))
	}
	return slog.New(bot.LogHandler(slog.NewTextHandler(e.stderr, opts)))
}

func explicitFlag(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

func runVersion(e env, args []string) error {
	fs, _ := e.flags("version")
	if err := parse(fs, args); err != nil {
		return err
	}
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(e.stdout, "knoop %s\n", v)
	return nil
}
