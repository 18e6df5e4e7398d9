package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

const examplePath = "../../config.example.toml"

// envOf turns a map into a getenv.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

var noEnv = envOf(nil)

// writeConfig writes a config file into a temporary directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleConfigIsTheDefaults(t *testing.T) {
	c, err := loadConfig(examplePath, true, noEnv)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	if !reflect.DeepEqual(c, defaultConfig()) {
		t.Errorf("config.example.toml differs from defaultConfig()\nfile:     %+v\ndefaults: %+v", c, defaultConfig())
	}
	d := defaultConfig()
	if err := d.validate(); err != nil {
		t.Errorf("the defaults do not validate: %v", err)
	}
}

// Every key Config knows is written out in the example, and nothing else.
func TestExampleConfigListsEveryKey(t *testing.T) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(defaultConfig()); err != nil {
		t.Fatal(err)
	}
	var known map[string]any
	if _, err := toml.Decode(buf.String(), &known); err != nil {
		t.Fatal(err)
	}
	var example map[string]any
	if _, err := toml.DecodeFile(examplePath, &example); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(example, ""), keys(known, ""); !slices.Equal(got, want) {
		t.Errorf("config.example.toml keys %v, Config keys %v", got, want)
	}
}

func keys(m map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			out = append(out, keys(sub, prefix+k+".")...)
			continue
		}
		out = append(out, prefix+k)
	}
	slices.Sort(out)
	return out
}

// Every KNOOP_ variable the example's header names overrides its key.
func TestExampleConfigNamesTheEnvVariables(t *testing.T) {
	b, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"KNOOP_DATABASE_URL", "KNOOP_DATABASE_MAX_CONNS", "KNOOP_NETWORK_TIMEZONE",
		"KNOOP_NETWORK_LANGUAGE", "KNOOP_LOG_LEVEL", "KNOOP_LOG_FORMAT", "KNOOP_HTTP_LISTEN", "KNOOP_RUN_SHUTDOWN_GRACE"} {
		if !strings.Contains(string(b), v) {
			t.Errorf("config.example.toml does not mention %s", v)
		}
	}
}

func TestConfigFile(t *testing.T) {
	p := writeConfig(t, `
[database]
url = "postgres://knoop@db.example/knoop"
max_conns = 4

[network]
timezone = "America/New_York"
language = "nl"

[log]
level = "debug"
format = "json"

[console]
coordinator = false
`)
	c, err := loadConfig(p, true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := defaultConfig()
	want.Database.URL = "postgres://knoop@db.example/knoop"
	want.Database.MaxConns = 4
	want.Network.Timezone = "America/New_York"
	want.Network.Language = "nl"
	want.Log.Level = "debug"
	want.Log.Format = "json"
	want.Console.Coordinator = false
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

// A file that sets some keys keeps the defaults for the rest.
func TestConfigPartialFileKeepsDefaults(t *testing.T) {
	c, err := loadConfig(writeConfig(t, "[log]\nlevel = \"warn\"\n"), true, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	want := defaultConfig()
	want.Log.Level = "warn"
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
}

func TestConfigUnknownKeys(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"top level", "colour = \"blue\"\n", []string{"unknown keys", "colour"}},
		{"nested", "[database]\nurl = \"\"\nmax_con = 3\n", []string{"unknown keys", "database.max_con"}},
		{"unknown table", "[slack]\ntoken = \"xoxb\"\n", []string{"unknown keys", "slack.token"}},
		{"misplaced key", "[log]\ntimezone = \"UTC\"\n", []string{"unknown keys", "log.timezone"}},
		{"several", "[network]\nlang = \"nl\"\n[log]\nlevl = \"debug\"\n", []string{"log.levl", "network.lang"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, tc.text)
			_, err := loadConfig(p, false, noEnv)
			if err == nil {
				t.Fatalf("unknown key accepted")
			}
			for _, w := range append(tc.want, p) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestConfigBadFile(t *testing.T) {
	for name, text := range map[string]string{
		"syntax":          "[database\nurl = 1\n",
		"type":            "[database]\nmax_conns = \"many\"\n",
		"int32 overflow":  "[database]\nmax_conns = 5000000000\n",
		"bool as string":  "[console]\ncoordinator = \"yes\"\n",
		"table as scalar": "database = \"postgres://x\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := writeConfig(t, text)
			_, err := loadConfig(p, false, noEnv)
			if err == nil {
				t.Fatalf("accepted %q", text)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestConfigEnvOverridesFile(t *testing.T) {
	p := writeConfig(t, `
[database]
url = "postgres://file/knoop"
max_conns = 4
[network]
timezone = "Europe/London"
language = "nl"
[log]
level = "error"
format = "json"
`)
	env := map[string]string{
		"KNOOP_DATABASE_URL":       "postgres://env/knoop",
		"KNOOP_DATABASE_MAX_CONNS": "32",
		"KNOOP_NETWORK_TIMEZONE":   "Asia/Tokyo",
		"KNOOP_NETWORK_LANGUAGE":   "en",
		"KNOOP_LOG_LEVEL":          "debug",
		"KNOOP_LOG_FORMAT":         "text",
	}
	c, err := loadConfig(p, true, envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	want := defaultConfig()
	want.Database.URL = "postgres://env/knoop"
	want.Database.MaxConns = 32
	want.Network.Timezone = "Asia/Tokyo"
	want.Network.Language = "en"
	want.Log.Level = "debug"
	want.Log.Format = "text"
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v\nwant %+v", c, want)
	}

	// One at a time, so no override hides a missing one.
	for k, v := range env {
		c, err := loadConfig(p, true, envOf(map[string]string{k: v}))
		if err != nil {
			t.Fatalf("%s=%s: %v", k, v, err)
		}
		file, _ := loadConfig(p, true, noEnv)
		if reflect.DeepEqual(c, file) {
			t.Errorf("%s=%s changed nothing", k, v)
		}
	}

	// An empty variable is unset: the file's value stays.
	c, err = loadConfig(p, true, envOf(map[string]string{"KNOOP_DATABASE_URL": "", "KNOOP_LOG_LEVEL": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Database.URL != "postgres://file/knoop" || c.Log.Level != "error" {
		t.Errorf("empty variables overrode the file: %+v", c)
	}
}

func TestConfigEnvWithoutFile(t *testing.T) {
	c, err := loadConfig("", false, envOf(map[string]string{"KNOOP_NETWORK_LANGUAGE": "nl", "KNOOP_DATABASE_URL": "postgres://x/y"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Network.Language != "nl" || c.Database.URL != "postgres://x/y" {
		t.Errorf("env not applied without a file: %+v", c)
	}
}

func TestConfigInvalidValues(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		env        map[string]string
		want       string
	}{
		{"timezone", "[network]\ntimezone = \"Mars/Base\"\n", nil, "Mars/Base"},
		{"empty timezone", "[network]\ntimezone = \"\"\n", nil, "network.timezone"},
		{"timezone path", "[network]\ntimezone = \"../../etc/passwd\"\n", nil, "network.timezone"},
		{"language", "[network]\nlanguage = \"fr\"\n", nil, `"fr"`},
		{"language case", "[network]\nlanguage = \"NL\"\n", nil, "network.language"},
		{"max_conns 0", "[database]\nmax_conns = 0\n", nil, "max_conns"},
		{"max_conns negative", "[database]\nmax_conns = -1\n", nil, "max_conns"},
		{"max_conns too many", "[database]\nmax_conns = 1001\n", nil, "max_conns"},
		{"log level", "[log]\nlevel = \"loud\"\n", nil, `"loud"`},
		{"log format", "[log]\nformat = \"xml\"\n", nil, "log.format"},
		{"env timezone", "", map[string]string{"KNOOP_NETWORK_TIMEZONE": "Mars/Base"}, "Mars/Base"},
		{"env language", "", map[string]string{"KNOOP_NETWORK_LANGUAGE": "fr"}, "network.language"},
		{"env log level", "", map[string]string{"KNOOP_LOG_LEVEL": "loud"}, "log.level"},
		{"env log format", "", map[string]string{"KNOOP_LOG_FORMAT": "yaml"}, "log.format"},
		{"env max_conns 0", "", map[string]string{"KNOOP_DATABASE_MAX_CONNS": "0"}, "max_conns"},
		{"shutdown grace negative", "[run]\nshutdown_grace = \"-1s\"\n", nil, "run.shutdown_grace"},
		{"shutdown grace not a duration", "[run]\nshutdown_grace = \"soon\"\n", nil, "shutdown_grace"},
		{"env shutdown grace", "", map[string]string{"KNOOP_RUN_SHUTDOWN_GRACE": "soon"}, "KNOOP_RUN_SHUTDOWN_GRACE"},
		{"slack http mode without listen", "[http]\nlisten = \"\"\n[slack]\nbot_token = \"xoxb-1\"\nmode = \"http\"\n", nil, "http.listen"},
		{"env max_conns not a number", "", map[string]string{"KNOOP_DATABASE_MAX_CONNS": "lots"}, "KNOOP_DATABASE_MAX_CONNS"},
		{"env max_conns overflow", "", map[string]string{"KNOOP_DATABASE_MAX_CONNS": "5000000000"}, "KNOOP_DATABASE_MAX_CONNS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadConfig(writeConfig(t, tc.text), true, envOf(tc.env))
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// All problems are reported at once, not one per run.
func TestConfigReportsEveryProblem(t *testing.T) {
	p := writeConfig(t, "[database]\nmax_conns = 0\n[network]\ntimezone = \"Mars/Base\"\nlanguage = \"fr\"\n[log]\nlevel = \"loud\"\nformat = \"xml\"\n")
	_, err := loadConfig(p, true, noEnv)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"database.max_conns", "network.timezone", "network.language", "log.level", "log.format"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %s", err, w)
		}
	}
}

func TestConfigBoundaries(t *testing.T) {
	for _, text := range []string{
		"[database]\nmax_conns = 1\n",
		"[database]\nmax_conns = 1000\n",
		"[network]\ntimezone = \"UTC\"\n",
		"[network]\ntimezone = \"Asia/Kolkata\"\nlanguage = \"nl\"\n",
		"[log]\nlevel = \"warn\"\nformat = \"json\"\n",
		"", // an empty file is all defaults
	} {
		if _, err := loadConfig(writeConfig(t, text), true, noEnv); err != nil {
			t.Errorf("%q rejected: %v", text, err)
		}
	}
}

func TestConfigMissingFile(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.toml")
	c, err := loadConfig(missing, false, noEnv)
	if err != nil {
		t.Fatalf("a missing optional file: %v", err)
	}
	if !reflect.DeepEqual(c, defaultConfig()) {
		t.Errorf("a missing optional file gave %+v, want the defaults", c)
	}
	// Env still applies when there is no file.
	c, err = loadConfig(missing, false, envOf(map[string]string{"KNOOP_LOG_LEVEL": "debug"}))
	if err != nil || c.Log.Level != "debug" {
		t.Errorf("env without a file: %+v, %v", c, err)
	}

	_, err = loadConfig(missing, true, noEnv)
	if err == nil {
		t.Fatal("a missing file named explicitly was accepted")
	}
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("error %q should wrap fs.ErrNotExist and name the file", err)
	}

	// Not being there is fine; being unreadable is not.
	if _, err := loadConfig(t.TempDir(), false, noEnv); err == nil {
		t.Errorf("a directory as config file was accepted")
	}
}

func TestLogger(t *testing.T) {
	for _, tc := range []struct {
		level, format string
		quiet         bool
		debug, warn   bool
	}{
		{"debug", "text", false, true, true},
		{"info", "text", false, false, true},
		{"error", "text", false, false, false},
		{"debug", "text", true, false, true}, // quiet lifts debug and info to warn
		{"error", "json", true, false, false},
	} {
		var buf bytes.Buffer
		cfg := defaultConfig()
		cfg.Log.Level, cfg.Log.Format = tc.level, tc.format
		log := env{stderr: &buf}.logger(cfg, tc.quiet)
		log.Debug("dbg-line")
		log.Warn("warn-line", "k", "v")
		out := buf.String()
		if got := strings.Contains(out, "dbg-line"); got != tc.debug {
			t.Errorf("%+v: debug logged = %v", tc, got)
		}
		if got := strings.Contains(out, "warn-line"); got != tc.warn {
			t.Errorf("%+v: warn logged = %v", tc, got)
		}
		if tc.format == "json" && out != "" {
			var m map[string]any
			if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &m); err != nil {
				t.Errorf("json format wrote %q: %v", out, err)
			}
		}
	}
	var buf bytes.Buffer
	cfg := defaultConfig()
	cfg.Log.Format = "json"
	env{stderr: &buf}.logger(cfg, false).Info("hello", "who", "alice")
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil || m["msg"] != "hello" || m["who"] != "alice" || m["level"] != slog.LevelInfo.String() {
		t.Errorf("json log line %q (%v)", buf.String(), err)
	}
}
