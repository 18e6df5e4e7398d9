package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"knoop/store/storetest"
)

// result is what one in-process run of knoop gave.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout:\n" + r.stdout + "\n--- stderr:\n" + r.stderr
}

// knoop runs the real command in-process. Environment variables come only
// from env; KNOOP_CONFIG points at a file that does not exist unless env
// sets it, so a config.toml in the working directory cannot leak in.
func knoop(t *testing.T, env map[string]string, stdin io.Reader, args ...string) result {
	t.Helper()
	// An empty config file keeps a config.toml in the working directory
	// out of the tests.
	empty := filepath.Join(t.TempDir(), "empty.toml")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	e := map[string]string{"KNOOP_CONFIG": empty, "USER": "tester"}
	for k, v := range env {
		e[k] = v
	}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code := runMain(context.Background(), args, stdin, &out, &errb, envOf(e))
	return result{code, out.String(), errb.String()}
}

// schemaURL creates a throw-away schema and returns a database URL whose
// connections use it (search_path as a runtime parameter in the URL).
func schemaURL(t *testing.T) (name, dbURL string) {
	t.Helper()
	name, _ = storetest.SchemaConfig(t)
	u, err := url.Parse(storetest.URL())
	if err != nil || u.Scheme == "" {
		t.Fatalf("storetest.URL() %q is not a URL: %v", storetest.URL(), err)
	}
	q := u.Query()
	q.Set("search_path", name+",public")
	u.RawQuery = q.Encode()
	return name, u.String()
}

// tablesIn counts the tables in schema.
func tablesIn(t *testing.T, schema string) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, storetest.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1`, schema).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// query runs a one-value query in schema.
func query(t *testing.T, dbURL, sql string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestVersion(t *testing.T) {
	r := knoop(t, nil, nil, "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "knoop ") || !strings.HasSuffix(r.stdout, "\n") || r.stderr != "" {
		t.Errorf("knoop version: %v", r)
	}
	if strings.Count(r.stdout, "\n") != 1 || len(strings.TrimSpace(strings.TrimPrefix(r.stdout, "knoop "))) == 0 {
		t.Errorf("knoop version should print one line with a version: %q", r.stdout)
	}

	old := version
	version = "1.2.3"
	defer func() { version = old }()
	if r := knoop(t, nil, nil, "version"); r.stdout != "knoop 1.2.3\n" {
		t.Errorf("with -X main.version=1.2.3: %q", r.stdout)
	}
}

func TestNoArgsPrintsUsage(t *testing.T) {
	t.Parallel()
	r := knoop(t, nil, nil)
	if r.code != 2 {
		t.Errorf("no arguments: exit %d, want 2", r.code)
	}
	if r.stdout != "" {
		t.Errorf("usage went to stdout: %q", r.stdout)
	}
	for _, w := range []string{"Usage: knoop <command>", "console", "run", "migrate", "seed", "eval", "version", "config.example.toml"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("usage lacks %q:\n%s", w, r.stderr)
		}
	}
	// Asking for help is not an error.
	for _, h := range []string{"help", "-h", "--help"} {
		r := knoop(t, nil, nil, h)
		if r.code != 0 || !strings.Contains(r.stderr, "Usage: knoop") {
			t.Errorf("knoop %s: %v", h, r)
		}
	}
}

func TestUnknownSubcommand(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"frobnicate", "Console", "--version", "-x"} {
		r := knoop(t, nil, nil, cmd, "more")
		if r.code != 2 {
			t.Errorf("knoop %s: exit %d, want 2", cmd, r.code)
		}
		if !strings.Contains(r.stderr, `unknown command "`+cmd+`"`) || !strings.Contains(r.stderr, "Usage: knoop") {
			t.Errorf("knoop %s: stderr %q", cmd, r.stderr)
		}
	}
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"console", "--nope"},
		{"console", "--as"}, // missing value
		{"console", "extra"},
		{"seed", "--members", "many"},
		{"seed", "--seed", "1.5"},
		{"migrate", "--bogus"},
		{"migrate", "now"},
		{"run", "--slack"},
		{"version", "--short"},
		{"version", "extra"},
	} {
		r := knoop(t, nil, nil, args...)
		if r.code != 2 {
			t.Errorf("knoop %s: exit %d, want 2\n%v", strings.Join(args, " "), r.code, r)
		}
		if r.stdout != "" {
			t.Errorf("knoop %s printed to stdout: %q", strings.Join(args, " "), r.stdout)
		}
		if !strings.Contains(r.stderr, "-config") {
			t.Errorf("knoop %s: stderr should show the flags:\n%s", strings.Join(args, " "), r.stderr)
		}
	}
}

// Flag values that parse but make no sense are refused before anything
// touches a database.
func TestBadFlagValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"console", "--lang", "fr"}, "--lang must be en or nl"},
		{[]string{"seed", "--members", "0"}, "--members must be"},
		{[]string{"seed", "--members", "2000001"}, "--members must be"},
		{[]string{"seed", "--members", "-5"}, "--members must be"},
	} {
		r := knoop(t, nil, nil, tc.args...)
		if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("knoop %s: %v", strings.Join(tc.args, " "), r)
		}
		if strings.Contains(r.stderr, "using") {
			t.Errorf("knoop %s opened a database before refusing", strings.Join(tc.args, " "))
		}
	}
}

func TestSubcommandHelp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cmd   string
		flags []string
	}{
		{"console", []string{"-as", "-org", "-lang", "-room", "-config"}},
		{"seed", []string{"-members", "-room", "-seed", "-config"}},
		{"migrate", []string{"-config"}},
		{"run", []string{"-config"}},
		{"version", []string{"-config"}},
		{"eval", []string{"-members", "-queries", "-ranker", "-json", "-config"}},
	} {
		r := knoop(t, nil, nil, tc.cmd, "-h")
		if r.code != 0 {
			t.Errorf("knoop %s -h: exit %d, want 0", tc.cmd, r.code)
		}
		for _, f := range tc.flags {
			if !strings.Contains(r.stderr, f) {
				t.Errorf("knoop %s -h does not list %s:\n%s", tc.cmd, f, r.stderr)
			}
		}
	}
}

func TestRunWithoutPlatform(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	for _, env := range []map[string]string{nil, {"KNOOP_DATABASE_URL": dbURL}} {
		r := knoop(t, env, nil, "run")
		if r.code != 1 {
			t.Errorf("knoop run: exit %d, want 1\n%v", r.code, r)
		}
		if !strings.Contains(r.stderr, "knoop run: no chat platform is configured") || !strings.Contains(r.stderr, "knoop console") {
			t.Errorf("knoop run: unclear message:\n%s", r.stderr)
		}
		if strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
			t.Errorf("knoop run: want one line on stderr, got:\n%s", r.stderr)
		}
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	schema, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL}
	r := knoop(t, env, nil, "migrate")
	if r.code != 0 {
		t.Fatalf("knoop migrate: %v", r)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	status := regexp.MustCompile(`^\d{5} applied \d{5}_\w+\.sql$`)
	for _, l := range lines {
		if !status.MatchString(l) {
			t.Errorf("status line %q, want like `00001 applied 00001_init.sql`", l)
		}
	}
	if !strings.HasPrefix(lines[0], "00001 applied 00001_init.sql") {
		t.Errorf("first status line %q", lines[0])
	}
	if !strings.Contains(r.stderr, "using the configured database") {
		t.Errorf("stderr does not say which database:\n%s", r.stderr)
	}
	// The tables went into the throw-away schema, so the URL's search_path took.
	if n := tablesIn(t, schema); n < 10 {
		t.Errorf("%d tables in schema %s after migrate", n, schema)
	}

	// Again: nothing to do, same status.
	again := knoop(t, env, nil, "migrate")
	if again.code != 0 || again.stdout != r.stdout {
		t.Errorf("second migrate: %v\nfirst stdout:\n%s", again, r.stdout)
	}
	if strings.Contains(again.stderr, "migration applied") {
		t.Errorf("second migrate applied migrations again:\n%s", again.stderr)
	}
}

// pgx also takes the search path as a libpq options parameter.
func TestMigrateWithOptionsSearchPath(t *testing.T) {
	t.Parallel()
	schema, _ := storetest.SchemaConfig(t)
	u, err := url.Parse(storetest.URL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("options", "-c search_path="+schema+",public")
	// pgx does not read "+" in a query as a space: encode it as %20.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": u.String()}, nil, "migrate")
	if r.code != 0 || !strings.Contains(r.stdout, "applied") {
		t.Fatalf("knoop migrate: %v", r)
	}
	if n := tablesIn(t, schema); n < 10 {
		t.Errorf("%d tables in schema %s after migrate", n, schema)
	}
}

func TestSeedThenConsole(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL}
	r := knoop(t, env, nil, "seed", "--members", "50", "--room", "r1")
	if r.code != 0 {
		t.Fatalf("knoop seed: %v", r)
	}
	if !regexp.MustCompile(`^seeded room "r1" \(network \d+\): 50 members, \d+ organisations?, \d+ evidence rows in \S+\n$`).MatchString(r.stdout) {
		t.Errorf("seed report %q", r.stdout)
	}
	if n := query(t, dbURL, `SELECT count(*) FROM members m JOIN rooms r ON r.network_id = m.network_id
		WHERE r.platform = 'console' AND r.room_id = 'r1'`); n != 50 {
		t.Errorf("room r1 has %d members, want 50", n)
	}

	// The same seed again adds another 50 (members are not overwritten).
	if r := knoop(t, env, nil, "seed", "--members", "50", "--room", "r1", "--seed", "2"); r.code != 0 || !strings.Contains(r.stdout, "50 members") {
		t.Errorf("second seed: %v", r)
	}

	script := "help\nwho logistics\nwie logistiek\n"
	c := knoop(t, env, strings.NewReader(script), "console", "--as", "alice", "--room", "r1")
	if c.code != 0 {
		t.Fatalf("knoop console: %v", c)
	}
	parts := strings.Split(strings.TrimSuffix(c.stdout, "\n\n"), "\n\n")
	if len(parts) != 3 {
		t.Fatalf("want 3 replies, got %d:\n%s", len(parts), c.stdout)
	}
	for _, w := range []string{"who <topic>", "commit <what>", "help [command]"} {
		if !strings.Contains(parts[0], w) {
			t.Errorf("help lacks %q:\n%s", w, parts[0])
		}
	}
	if !strings.HasPrefix(parts[1], "Good at “logistics”:\n• ") {
		t.Errorf("who logistics in a seeded network finds nobody:\n%s", parts[1])
	}
	if !strings.HasPrefix(parts[2], "Goed in “logistiek”:\n• ") {
		t.Errorf("wie logistiek:\n%s", parts[2])
	}
	// A script on stdin is not interactive: no greeting, no prompts.
	if strings.Contains(c.stdout, "Knoop console —") || strings.Contains(c.stdout, "alice> ") {
		t.Errorf("piped console printed prompts:\n%s", c.stdout)
	}
	// The console talked to the seeded network: alice joined r1's network.
	if n := query(t, dbURL, `SELECT count(*) FROM members m JOIN rooms r ON r.network_id = m.network_id
		WHERE r.platform = 'console' AND r.room_id = 'r1' AND m.platform_user_id = 'alice'`); n != 1 {
		t.Errorf("alice is not a member of room r1's network")
	}
}

// stdin as an *os.File that is a pipe, as in `echo help | knoop console`.
func TestConsoleFromPipe(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	if _, err := pw.WriteString("/as bob\nskills add koelketen\n/as carol\nwho koelketen"); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": dbURL}, pr, "console", "--org", "TU Delft", "--lang", "nl")
	if r.code != 0 {
		t.Fatalf("knoop console: %v", r)
	}
	if strings.Contains(r.stdout, "> ") {
		t.Errorf("a pipe is not a terminal, but prompts were printed:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "• bob — TU Delft") {
		t.Errorf("who koelketen should list bob of TU Delft:\n%s", r.stdout)
	}
}

// Without --as the member is the login name from the environment.
func TestConsoleDefaultsToLoginName(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "USER": "dirk"}
	r := knoop(t, env, strings.NewReader("profile\n"), "console")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "dirk\n") {
		t.Errorf("console as $USER: %v", r)
	}
	env = map[string]string{"KNOOP_DATABASE_URL": dbURL, "USER": "", "LOGNAME": "els"}
	r = knoop(t, env, strings.NewReader("profile\n"), "console")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "els\n") {
		t.Errorf("console as $LOGNAME: %v", r)
	}
	if n := query(t, dbURL, `SELECT count(*) FROM members m JOIN rooms r ON r.network_id = m.network_id
		WHERE r.room_id = 'console' AND m.platform_user_id IN ('dirk', 'els')`); n != 2 {
		t.Errorf("%d of dirk and els are members of the default room", n)
	}
}

// console.coordinator in the config decides whether the console user may
// set the charter.
func TestConsoleCoordinatorFromConfig(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	cfg := writeConfig(t, "[console]\ncoordinator = false\n")
	script := "charter We share routes.\n"
	r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": dbURL}, strings.NewReader(script), "console", "-config", cfg, "--as", "bob")
	if r.code != 0 || !strings.Contains(r.stdout, "Only coordinators") {
		t.Errorf("coordinator = false: %v", r)
	}
	r = knoop(t, map[string]string{"KNOOP_DATABASE_URL": dbURL}, strings.NewReader(script+"charter\n"), "console", "--as", "anna")
	if r.code != 0 || strings.Contains(r.stdout, "Only coordinators") || !strings.Contains(r.stdout, "\n\nOur charter:\nWe share routes.\n\n") {
		t.Errorf("default coordinator = true: %v", r)
	}
}

// The network language from the configuration is used for a new network.
func TestConsoleNetworkLanguageFromEnv(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL, "KNOOP_NETWORK_LANGUAGE": "nl"}
	r := knoop(t, env, strings.NewReader("org\n"), "console", "--as", "anna", "--room", "nl-room")
	if r.code != 0 || !strings.Contains(r.stdout, "organisatie") {
		t.Errorf("KNOOP_NETWORK_LANGUAGE=nl: %v", r)
	}
	if n := query(t, dbURL, `SELECT count(*) FROM networks n JOIN rooms r ON r.network_id = n.id
		WHERE r.room_id = 'nl-room' AND n.language = 'nl'`); n != 1 {
		t.Errorf("the new network is not Dutch")
	}
}

func TestConfigErrorsStopCommands(t *testing.T) {
	t.Parallel()
	_, dbURL := schemaURL(t)
	unknown := writeConfig(t, "[database]\nurll = \"x\"\n")
	badLevel := writeConfig(t, "[log]\nlevel = \"loud\"\n")
	missing := filepath.Join(t.TempDir(), "missing.toml")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unknown key via -config", nil, []string{"migrate", "-config", unknown}, "database.urll"},
		{"unknown key via KNOOP_CONFIG", map[string]string{"KNOOP_CONFIG": unknown}, []string{"migrate"}, "database.urll"},
		{"bad value", nil, []string{"seed", "--config", badLevel}, "log.level"},
		{"explicit missing file", nil, []string{"console", "-config", missing}, "missing.toml"},
		{"bad env", map[string]string{"KNOOP_LOG_LEVEL": "loud"}, []string{"migrate"}, "log.level"},
		{"bad env for run", map[string]string{"KNOOP_NETWORK_TIMEZONE": "Mars/Base"}, []string{"run"}, "Mars/Base"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"KNOOP_DATABASE_URL": dbURL}
			for k, v := range tc.env {
				env[k] = v
			}
			r := knoop(t, env, strings.NewReader("help\n"), tc.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
				t.Errorf("want exit 1 naming %q: %v", tc.want, r)
			}
			if strings.Contains(r.stderr, "using the configured database") {
				t.Errorf("a database was opened despite the bad configuration")
			}
		})
	}
}

// A config file given explicitly is used.
func TestConfigFileDatabase(t *testing.T) {
	t.Parallel()
	schema, dbURL := schemaURL(t)
	cfg := writeConfig(t, "[database]\nurl = \""+dbURL+"\"\nmax_conns = 2\n")
	r := knoop(t, nil, nil, "migrate", "-config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "applied") {
		t.Fatalf("migrate with the database from the file: %v", r)
	}
	if tablesIn(t, schema) < 10 {
		t.Errorf("the file's database was not migrated")
	}
}

func TestDatabaseErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url, want string
	}{
		{"postgres://%zz", "database url"},
		{"postgres://postgres@127.0.0.1:1/test?sslmode=disable&connect_timeout=5", "connect"},
	} {
		r := knoop(t, map[string]string{"KNOOP_DATABASE_URL": tc.url}, nil, "migrate")
		if r.code != 1 || !strings.Contains(r.stderr, "knoop migrate:") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("KNOOP_DATABASE_URL=%s: %v", tc.url, r)
		}
	}
}

// A digest set in the console shows with `knoop digest --dry-run`, which
// sends nothing and records nothing.
func TestDigestDryRun(t *testing.T) {
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL}
	script := "goal add Halve empty truck kilometres\ncommit the pilot report by 2030-03-01 for goal 1\ndigest every monday 09:00\n"
	if c := knoop(t, env, strings.NewReader(script), "console", "--as", "carol", "--room", "r1"); c.code != 0 || !strings.Contains(c.stdout, "Digest set") {
		t.Fatalf("knoop console: %v", c)
	}
	r := knoop(t, env, nil, "digest", "--room", "r1", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "# schedule: 0 9 * * 1 (Europe/Amsterdam), next Mon") ||
		!strings.Contains(r.stdout, "Halve empty truck kilometres") || !strings.Contains(r.stdout, "• carol: no skills yet") {
		t.Fatalf("knoop digest --dry-run: %v", r)
	}
	if n := query(t, dbURL, `SELECT count(*) FROM digests`); n != 0 {
		t.Fatalf("a dry run recorded %d digests", n)
	}
	for _, args := range [][]string{{"digest", "--room", "r1"}, {"digest", "--dry-run"}} {
		if r := knoop(t, env, nil, args...); r.code != 2 {
			t.Errorf("knoop %v: %v", args, r)
		}
	}
	if r := knoop(t, env, nil, "digest", "--room", "nowhere", "--dry-run"); r.code != 1 || !strings.Contains(r.stderr, `does not know room "nowhere"`) {
		t.Errorf("unknown room: %v", r)
	}
}

// export → import into an empty database → export again gives the same
// document, and the imported network answers as the original did.
func TestExportImportRoundTrip(t *testing.T) {
	_, srcURL := schemaURL(t)
	src := map[string]string{"KNOOP_DATABASE_URL": srcURL}
	script := strings.Join([]string{
		"charter We connect port logistics and horticulture.",
		"goal add Halve empty truck kilometres",
		"org Havenbedrijf Rotterdam",
		"skills add cold chain, koelketen",
		"commit route plan for the Greenport shuttle by 2030-03-01 for goal 1",
		"commit the pilot report by 2030-02-01",
		"done 2 shipped",
		"ask who can review our business case?",
		"digest every monday 09:00",
		"/as bob",
		"org TU Delft",
		"skills add hydrogen",
		"endorse @alice cold chain",
		"commit the safety case by 2030-04-01",
		"update 3 halfway",
		"nudges weekly",
		"away until 2030-01-10",
		"/as eve",
		"skills add grant writing",
		"commit a grant draft by 2030-05-01",
		"forget me",
		"forget me confirm",
	}, "\n") + "\n"
	if c := knoop(t, src, strings.NewReader(script), "console", "--as", "alice", "--room", "r1"); c.code != 0 || strings.Contains(c.stdout, "Sorry") {
		t.Fatalf("knoop console: %v", c)
	}
	first := knoop(t, src, nil, "export", "--room", "r1")
	if first.code != 0 {
		t.Fatalf("export: %v", first)
	}
	for _, want := range []string{`"format": "knoop-network"`, `"version": 1`, `"charter": "We connect port logistics and horticulture."`,
		`"skill": "cold chain"`, `"by": "m2"`, `"status": "done"`, `"kind": "update"`, `"spec": "0 9 * * 1"`, `"nudges": "weekly"`,
		`"away_until": "2030-01-10"`, `"forgotten": true`, `"name": "TU Delft"`} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	if strings.Contains(first.stdout, "grant writing") {
		t.Errorf("a forgotten member's skills were exported")
	}

	_, dstURL := schemaURL(t)
	dst := map[string]string{"KNOOP_DATABASE_URL": dstURL}
	imp := knoop(t, dst, strings.NewReader(first.stdout), "import")
	if imp.code != 0 || !strings.Contains(imp.stdout, "3 members, 1 goals, 4 commitments, 1 asks, 1 rooms, 1 schedules") {
		t.Fatalf("import: %v", imp)
	}
	second := knoop(t, dst, nil, "export", "--room", "r1")
	if second.code != 0 || second.stdout != first.stdout {
		t.Fatalf("export after import differs:\n--- first\n%s\n--- second\n%s", first.stdout, second.stdout)
	}
	// The search index was rebuilt: the imported network finds alice.
	who := knoop(t, dst, strings.NewReader("who cold chain\ncommitments all\n"), "console", "--as", "carol", "--room", "r1")
	if !strings.Contains(who.stdout, "alice (Havenbedrijf Rotterdam)") || !strings.Contains(who.stdout, "endorsed by 1") ||
		!strings.Contains(who.stdout, "#3 the safety case") {
		t.Fatalf("imported network answers:\n%s", who.stdout)
	}
	// Importing again is refused: the room belongs to a network now.
	if again := knoop(t, dst, strings.NewReader(first.stdout), "import"); again.code != 1 || !strings.Contains(again.stderr, "already belongs to network") {
		t.Fatalf("second import: %v", again)
	}
}

// A bad document is refused with a clear reason and changes nothing.
func TestImportRefusesBadDocuments(t *testing.T) {
	_, dbURL := schemaURL(t)
	env := map[string]string{"KNOOP_DATABASE_URL": dbURL}
	good := `{"format":"knoop-network","version":1,"network":{"name":"","charter":"","timezone":"Europe/Amsterdam","language":"nl","created_at":"2026-01-01T00:00:00Z"},` +
		`"rooms":[{"platform":"console","room_id":"x"}],"organisations":[],"members":[{"key":"m1","platform":"console","user_id":"a","nudges":"on","work_hours":[540,1020],"created_at":"2026-01-01T00:00:00Z","skills":[]}],` +
		`"endorsements":[],"goals":[],"commitments":[],"asks":[],"schedules":[]}`
	cases := []struct{ doc, want string }{
		{"", "not a Knoop network export"},
		{"\x00\x01binary", "not a Knoop network export"},
		{`{"format":"something-else","version":1}`, `format "something-else"`},
		{strings.Replace(good, `"version":1`, `"version":2`, 1), "version 2 is not supported"},
		{strings.Replace(good, `"timezone":"Europe/Amsterdam"`, `"timezone":"Mars/Olympus"`, 1), "not a known zone"},
		{strings.Replace(good, `"endorsements":[]`, `"endorsements":[{"by":"m1","of":"m9","skill":"x","weight":1,"created_at":"2026-01-01T00:00:00Z"}]`, 1), `unknown member "m9"`},
		{strings.Replace(good, `"asks":[]`, `"asks":[{"no":1,"text":"'); DROP TABLE members; --","status":"maybe","created_at":"2026-01-01T00:00:00Z"}]`, 1), `status "maybe"`},
		{strings.Replace(good, `"goals":[]`, `"goals":[],"extra":true`, 1), "unknown field"},
		{good + good, "more after its end"},
	}
	for _, c := range cases {
		r := knoop(t, env, strings.NewReader(c.doc), "import")
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("import of %.60q: %v, want %q", c.doc, r, c.want)
		}
	}
	if n := query(t, dbURL, `SELECT count(*) FROM networks`); n != 0 {
		t.Fatalf("bad imports created %d networks", n)
	}
	if r := knoop(t, env, strings.NewReader(good), "import"); r.code != 0 {
		t.Fatalf("good import: %v", r)
	}
	if r := knoop(t, env, nil, "export"); r.code != 2 || !strings.Contains(r.stderr, "Choose a network") {
		t.Fatalf("export without a network: %v", r)
	}
}
