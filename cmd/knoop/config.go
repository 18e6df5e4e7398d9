package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"knoop/store/lexicon"
)

// Config is config.toml. Every key is optional; environment variables
// (KNOOP_…) override the file, and the file overrides the defaults.
type Config struct {
	Database struct {
		URL      string `toml:"url"`
		MaxConns int32  `toml:"max_conns"`
	} `toml:"database"`
	Network struct {
		Timezone string `toml:"timezone"`
		Language string `toml:"language"`
		// Dictionary is the directory of FreeDict's Dutch-English dictd
		// files (default lexicon.DefaultDir).
		Dictionary string `toml:"dictionary"`
	} `toml:"network"`
	Log struct {
		Level  string `toml:"level"`
		Format string `toml:"format"`
	} `toml:"log"`
	Console struct {
		Coordinator bool `toml:"coordinator"`
	} `toml:"console"`
	HTTP struct {
		Listen    string `toml:"listen"`
		OpsListen string `toml:"ops_listen"`
		// Pprof serves net/http/pprof under /debug/pprof/ beside /metrics
		// (off by default: profiles show the program's inner workings).
		Pprof bool `toml:"pprof"`
	} `toml:"http"`
	Web struct {
		Listen  string `toml:"listen"`
		BaseURL string `toml:"base_url"`
	} `toml:"web"`
	Run struct {
		ShutdownGrace time.Duration `toml:"shutdown_grace"`
		EventTimeout  time.Duration `toml:"event_timeout"`
		AdapterGiveUp time.Duration `toml:"adapter_give_up"`
	} `toml:"run"`
	Limits struct {
		CommandsPerMinute int `toml:"commands_per_minute"`
		WhoCost           int `toml:"who_cost"`
		// IntrosPerWeek is how many open introduction requests an expert
		// gets per week.
		IntrosPerWeek int `toml:"intros_per_week"`
	} `toml:"limits"`
	Slack struct {
		BotToken      string   `toml:"bot_token"`
		AppToken      string   `toml:"app_token"`
		SigningSecret string   `toml:"signing_secret"`
		APIURL        string   `toml:"api_url"`
		Mode          string   `toml:"mode"`
		Admins        []string `toml:"admins"`
		External      string   `toml:"external"`
	} `toml:"slack"`
	Matrix struct {
		Homeserver        string   `toml:"homeserver"`
		UserID            string   `toml:"user_id"`
		AccessToken       string   `toml:"access_token"`
		Password          string   `toml:"password"`
		Allow             []string `toml:"allow"`
		External          string   `toml:"external"`
		Coordinators      []string `toml:"coordinators"`
		CoordinationRooms []string `toml:"coordination_rooms"`
	} `toml:"matrix"`
}

func defaultConfig() Config {
	var c Config
	c.Database.MaxConns = 16
	c.Network.Timezone = "Europe/Amsterdam"
	c.Network.Language = "en"
	c.Network.Dictionary = lexicon.DefaultDir
	c.Log.Level = "info"
	c.Log.Format = "auto"
	c.Console.Coordinator = true
	c.HTTP.Listen = "127.0.0.1:8080"
	c.Run.ShutdownGrace = 10 * time.Second
	c.Run.EventTimeout = 30 * time.Second
	c.Run.AdapterGiveUp = 2 * time.Minute
	c.Limits.CommandsPerMinute = 20
	c.Limits.WhoCost = 3
	c.Limits.IntrosPerWeek = 3
	c.Slack.Mode = "socket"
	c.Slack.Admins = []string{}
	c.Slack.External = "guest"
	c.Matrix.Allow = []string{}
	c.Matrix.External = "ignore"
	c.Matrix.Coordinators = []string{}
	c.Matrix.CoordinationRooms = []string{}
	return c
}

// loadConfig reads path (if it exists, or must exist when required),
// rejecting unknown keys, then applies environment overrides and checks
// the result.
func loadConfig(path string, required bool, env func(string) string) (Config, error) {
	c := defaultConfig()
	if path != "" {
		md, err := toml.DecodeFile(path, &c)
		switch {
		case errors.Is(err, os.ErrNotExist) && !required:
		case err != nil:
			return c, fmt.Errorf("config %s: %w", path, err)
		default:
			if und := md.Undecoded(); len(und) > 0 {
				keys := make([]string, len(und))
				for i, k := range und {
					keys[i] = k.String()
				}
				sort.Strings(keys)
				return c, fmt.Errorf("config %s: unknown keys: %s", path, strings.Join(keys, ", "))
			}
		}
	}
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	return c, c.validate()
}

func (c *Config) applyEnv(env func(string) string) error {
	if v := env("KNOOP_DATABASE_URL"); v != "" {
		c.Database.URL = v
	}
	if v := env("KNOOP_DATABASE_MAX_CONNS"); v != "" {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return fmt.Errorf("KNOOP_DATABASE_MAX_CONNS: %w", err)
		}
		c.Database.MaxConns = int32(n)
	}
	if v := env("KNOOP_NETWORK_TIMEZONE"); v != "" {
		c.Network.Timezone = v
	}
	if v := env("KNOOP_NETWORK_LANGUAGE"); v != "" {
		c.Network.Language = v
	}
	if v := env("KNOOP_NETWORK_DICTIONARY"); v != "" {
		c.Network.Dictionary = v
	}
	if v := env("KNOOP_LOG_LEVEL"); v != "" {
		c.Log.Level = v
	}
	if v := env("KNOOP_LOG_FORMAT"); v != "" {
		c.Log.Format = v
	}
	if v := env("KNOOP_HTTP_LISTEN"); v != "" {
		c.HTTP.Listen = v
	}
	if v := env("KNOOP_HTTP_PPROF"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("KNOOP_HTTP_PPROF: %w", err)
		}
		c.HTTP.Pprof = b
	}
	if v := env("KNOOP_WEB_LISTEN"); v != "" {
		c.Web.Listen = v
	}
	if v := env("KNOOP_WEB_BASE_URL"); v != "" {
		c.Web.BaseURL = v
	}
	if v := env("KNOOP_HTTP_OPS_LISTEN"); v != "" {
		c.HTTP.OpsListen = v
	}
	for key, dst := range map[string]*time.Duration{
		"KNOOP_RUN_SHUTDOWN_GRACE":  &c.Run.ShutdownGrace,
		"KNOOP_RUN_EVENT_TIMEOUT":   &c.Run.EventTimeout,
		"KNOOP_RUN_ADAPTER_GIVE_UP": &c.Run.AdapterGiveUp,
	} {
		if v := env(key); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			*dst = d
		}
	}
	if v := env("KNOOP_LIMITS_COMMANDS_PER_MINUTE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("KNOOP_LIMITS_COMMANDS_PER_MINUTE: %w", err)
		}
		c.Limits.CommandsPerMinute = n
	}
	if v := env("KNOOP_LIMITS_INTROS_PER_WEEK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("KNOOP_LIMITS_INTROS_PER_WEEK: %w", err)
		}
		c.Limits.IntrosPerWeek = n
	}
	// Secrets are best kept out of the file: the environment wins.
	for key, dst := range map[string]*string{
		"KNOOP_SLACK_BOT_TOKEN":      &c.Slack.BotToken,
		"KNOOP_SLACK_APP_TOKEN":      &c.Slack.AppToken,
		"KNOOP_SLACK_SIGNING_SECRET": &c.Slack.SigningSecret,
		"KNOOP_SLACK_API_URL":        &c.Slack.APIURL,
		"KNOOP_SLACK_MODE":           &c.Slack.Mode,
		"KNOOP_MATRIX_HOMESERVER":    &c.Matrix.Homeserver,
		"KNOOP_MATRIX_USER_ID":       &c.Matrix.UserID,
		"KNOOP_MATRIX_ACCESS_TOKEN":  &c.Matrix.AccessToken,
		"KNOOP_MATRIX_PASSWORD":      &c.Matrix.Password,
	} {
		if v := env(key); v != "" {
			*dst = v
		}
	}
	return nil
}

func (c *Config) validate() error {
	var errs []error
	if c.Database.MaxConns < 1 || c.Database.MaxConns > 1000 {
		errs = append(errs, fmt.Errorf("database.max_conns must be 1..1000, got %d", c.Database.MaxConns))
	}
	if _, err := time.LoadLocation(c.Network.Timezone); err != nil || c.Network.Timezone == "" || c.Network.Timezone == "Local" {
		errs = append(errs, fmt.Errorf("network.timezone %q is not a timezone name like Europe/Amsterdam", c.Network.Timezone))
	}
	if c.Network.Language != "en" && c.Network.Language != "nl" {
		errs = append(errs, fmt.Errorf("network.language must be \"en\" or \"nl\", got %q", c.Network.Language))
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log.level must be debug, info, warn or error, got %q", c.Log.Level))
	}
	if c.Log.Format != "auto" && c.Log.Format != "text" && c.Log.Format != "json" {
		errs = append(errs, fmt.Errorf("log.format must be auto, text or json, got %q", c.Log.Format))
	}
	if c.Run.ShutdownGrace < 0 || c.Run.ShutdownGrace > time.Hour {
		errs = append(errs, fmt.Errorf("run.shutdown_grace must be 0s..1h, got %s", c.Run.ShutdownGrace))
	}
	if c.Run.EventTimeout < time.Second || c.Run.EventTimeout > time.Hour {
		errs = append(errs, fmt.Errorf("run.event_timeout must be 1s..1h, got %s", c.Run.EventTimeout))
	}
	if c.Run.AdapterGiveUp < 0 || c.Run.AdapterGiveUp > 24*time.Hour {
		errs = append(errs, fmt.Errorf("run.adapter_give_up must be 0s..24h, got %s", c.Run.AdapterGiveUp))
	}
	if c.Limits.CommandsPerMinute < 0 || c.Limits.CommandsPerMinute > 100000 {
		errs = append(errs, fmt.Errorf("limits.commands_per_minute must be 0 (no limit)..100000, got %d", c.Limits.CommandsPerMinute))
	}
	if c.Limits.IntrosPerWeek < 1 || c.Limits.IntrosPerWeek > 100 {
		errs = append(errs, fmt.Errorf("limits.intros_per_week must be 1..100, got %d", c.Limits.IntrosPerWeek))
	}
	if c.Limits.WhoCost < 1 || c.Limits.WhoCost > 100 {
		errs = append(errs, fmt.Errorf("limits.who_cost must be 1..100, got %d", c.Limits.WhoCost))
	}
	if c.HTTP.OpsListen != "" && c.HTTP.OpsListen == c.HTTP.Listen && !strings.HasSuffix(c.HTTP.Listen, ":0") {
		errs = append(errs, errors.New("http.ops_listen must differ from http.listen (or be empty)"))
	}
	if c.Slack.Mode == "http" && c.Slack.BotToken != "" && c.HTTP.Listen == "" {
		errs = append(errs, errors.New("slack.mode = \"http\" needs http.listen: Slack's requests arrive there"))
	}
	if c.Web.BaseURL != "" {
		u, err := url.Parse(c.Web.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("web.base_url must be an http:// or https:// URL without query, got %q", c.Web.BaseURL))
		}
	}
	if c.Slack.Mode != "socket" && c.Slack.Mode != "http" {
		errs = append(errs, fmt.Errorf("slack.mode must be socket or http, got %q", c.Slack.Mode))
	}
	if c.Slack.APIURL != "" && !strings.HasSuffix(c.Slack.APIURL, "/") {
		errs = append(errs, fmt.Errorf("slack.api_url must end in \"/\", got %q", c.Slack.APIURL))
	}
	switch c.Slack.External {
	case "guest", "member", "ignore":
	default:
		errs = append(errs, fmt.Errorf("slack.external must be guest, member or ignore, got %q", c.Slack.External))
	}
	switch c.Matrix.External {
	case "guest", "member", "ignore":
	default:
		errs = append(errs, fmt.Errorf("matrix.external must be ignore, guest or member, got %q", c.Matrix.External))
	}
	for _, r := range c.Matrix.CoordinationRooms {
		if !strings.HasPrefix(r, "!") || !strings.Contains(r, ":") {
			errs = append(errs, fmt.Errorf("matrix.coordination_rooms: %q is not a room id like !abc:example.org", r))
		}
	}
	for _, u := range c.Matrix.Coordinators {
		if !strings.HasPrefix(u, "@") || !strings.Contains(u, ":") {
			errs = append(errs, fmt.Errorf("matrix.coordinators: %q is not a user id like @anna:example.org", u))
		}
	}
	return errors.Join(errs...)
}
