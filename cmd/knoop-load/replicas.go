package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"

	"knoop/adapters/matrix/matrixtest"
	"knoop/adapters/slack/slackfake"
	"knoop/store/storetest"
)

// environment is what the replicas run against: the fake Slack, the
// schema, optionally Dendrite, and the replicas themselves.
type environment struct {
	r      *runner
	o      options
	fake   *slackfake.Server
	schema string
	dbURL  string // with search_path
	pool   *pgxpool.Pool
	dir    string

	mx       *matrixtest.Server
	mxBot    id.UserID
	mxToken  string
	mxAsker  *mautrix.Client
	mxRoom   id.RoomID
	replicas []*replica
}

// knoopBinary builds ./cmd/knoop from the module this harness belongs to,
// unless path names a binary.
func knoopBinary(r *runner, path string) (string, error) {
	if path != "" {
		return filepath.Abs(path)
	}
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" || strings.TrimSpace(string(mod)) == os.DevNull {
		return "", errors.New("not inside the knoop module: run from the repository or pass --knoop PATH")
	}
	root := filepath.Dir(strings.TrimSpace(string(mod)))
	out := filepath.Join(r.TempDir(), "knoop")
	r.Logf("building knoop")
	cmd := exec.Command("go", "build", "-tags", "goolm", "-o", out, "./cmd/knoop")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/knoop: %v\n%s", err, b)
	}
	return out, nil
}

func newEnvironment(r *runner, o options) (*environment, error) {
	e := &environment{r: r, o: o, dir: r.TempDir()}
	e.fake = slackfake.New(r)
	name, cfg := storetest.SchemaConfig(r) // dropped at the end
	if o.keep {
		r.Logf("schema %s (dropped at the end: --keep keeps files, not the schema)", name)
	}
	e.schema = name
	u, err := url.Parse(storetest.URL())
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", name+",public")
	u.RawQuery = q.Encode()
	e.dbURL = u.String()
	cfg.MaxConns = 2
	if e.pool, err = pgxpool.NewWithConfig(context.Background(), cfg); err != nil {
		return nil, err
	}
	r.Cleanup(e.pool.Close)
	if o.matrix {
		if err := e.startMatrix(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// replica is one `knoop run` process.
type replica struct {
	n          int
	cmd        *exec.Cmd
	logPath    string
	done       chan struct{}
	killed     bool
	last       procStats // read before the process ended
	errorLines int
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func tomlString(s string) string { return strconv.Quote(s) }

// config writes replica n's config.toml.
func (e *environment) config(n int) (string, error) {
	listen, err := freeAddr()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "[database]\nurl = %s\nmax_conns = %d\n\n", tomlString(e.dbURL), e.o.maxConns)
	// The harness reads the replicas' logs as text (level=ERROR, msg="…").
	fmt.Fprintf(&b, "[log]\nlevel = %s\nformat = \"text\"\n\n", tomlString(e.o.logLevel))
	fmt.Fprintf(&b, "[http]\nlisten = %s\n\n", tomlString(listen))
	// The harness plays 200 members at hundreds of commands a second: far
	// past the per-member limit, which is not what it measures.
	fmt.Fprintf(&b, "[limits]\ncommands_per_minute = 0\n\n")
	fmt.Fprintf(&b, "[slack]\nbot_token = \"xoxb-load\"\napp_token = \"xapp-1-load\"\napi_url = %s\nadmins = [%s]\n\n",
		tomlString(e.fake.APIURL()), tomlString(memberID(0)))
	if e.mx != nil {
		fmt.Fprintf(&b, "[matrix]\nhomeserver = %s\nuser_id = %s\naccess_token = %s\n",
			tomlString(e.mx.URL), tomlString(string(e.mxBot)), tomlString(e.mxToken))
	}
	path := filepath.Join(e.dir, fmt.Sprintf("replica%d.toml", n))
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// startReplicas starts the processes one after the other, each once the
// previous one holds its Socket Mode connection, so replica 1 runs the
// migrations alone and the connections are known to be distinct.
func (e *environment) startReplicas(bin string) error {
	for n := 1; n <= e.o.replicas; n++ {
		cfg, err := e.config(n)
		if err != nil {
			return err
		}
		p := &replica{n: n, logPath: filepath.Join(e.dir, fmt.Sprintf("replica%d.log", n)), done: make(chan struct{})}
		logf, err := os.Create(p.logPath)
		if err != nil {
			return err
		}
		p.cmd = exec.Command(bin, "run", "-config", cfg)
		p.cmd.Env = cleanEnv()
		p.cmd.Stdout, p.cmd.Stderr = logf, logf
		p.cmd.SysProcAttr = sysProcAttr()
		if err := p.cmd.Start(); err != nil {
			logf.Close()
			return fmt.Errorf("start replica %d: %w", n, err)
		}
		go func() {
			_ = p.cmd.Wait()
			logf.Close()
			close(p.done)
		}()
		e.replicas = append(e.replicas, p)
		e.r.Logf("replica %d: pid %d, log %s", n, p.cmd.Process.Pid, p.logPath)
		e.r.Cleanup(func() { p.stop() })
		if err := e.waitConnections(n, p); err != nil {
			return err
		}
	}
	return nil
}

// waitConnections waits for the n-th Socket Mode connection, failing early
// when the replica exits.
func (e *environment) waitConnections(n int, p *replica) error {
	deadline := time.Now().Add(90 * time.Second)
	for e.fake.Connections() < n {
		select {
		case <-p.done:
			return fmt.Errorf("replica %d exited during start-up:\n%s", p.n, tail(p.logPath, 2000))
		case <-e.r.ctx.Done():
			return e.r.ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("replica %d did not connect to the fake Slack within 90 s:\n%s", p.n, tail(p.logPath, 2000))
		}
	}
	return nil
}

// cleanEnv is the harness's environment without KNOOP_ variables, which
// would override the replicas' config files.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KNOOP_") {
			out = append(out, kv)
		}
	}
	return out
}

func (p *replica) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// stop ends the process: SIGTERM, SIGKILL after 20 s.
func (p *replica) stop() {
	if !p.running() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// kill ends the process with SIGKILL and waits for it.
func (p *replica) kill() {
	p.last = p.readStats()
	p.killed = true
	_ = p.cmd.Process.Kill()
	<-p.done
}

// procStats is what /proc says about a process.
type procStats struct {
	peakRSSkB int64
	rsskB     int64
	cpu       time.Duration
}

func (p *replica) readStats() procStats {
	var s procStats
	if !p.running() {
		return p.last
	}
	pid := p.cmd.Process.Pid
	if f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if !ok {
				continue
			}
			fields := strings.Fields(v)
			if len(fields) == 0 {
				continue
			}
			n, _ := strconv.ParseInt(fields[0], 10, 64)
			switch k {
			case "VmHWM":
				s.peakRSSkB = n
			case "VmRSS":
				s.rsskB = n
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		// Fields after the command name (which is in parentheses): utime is
		// the 14th field of the line, stime the 15th, in clock ticks.
		if i := strings.LastIndexByte(string(b), ')'); i > 0 {
			f := strings.Fields(string(b)[i+1:])
			if len(f) > 13 {
				ut, _ := strconv.ParseInt(f[11], 10, 64)
				st, _ := strconv.ParseInt(f[12], 10, 64)
				s.cpu = time.Duration(ut+st) * time.Second / clockTicks
			}
		}
	}
	p.last = s
	return s
}

// clockTicks is USER_HZ, 100 on every Linux architecture Go supports.
const clockTicks = 100

func (p *replica) stats() processReport {
	s := p.readStats()
	return processReport{Replica: p.n, PeakRSSMB: float64(s.peakRSSkB) / 1024, CPUSeconds: s.cpu.Seconds(), Killed: p.killed}
}

// stopReplicas stops every replica and counts the ERROR lines in their logs.
func (e *environment) stopReplicas() int {
	total := 0
	for _, p := range e.replicas {
		p.readStats()
		p.stop()
		p.errorLines = countErrors(p.logPath)
		total += p.errorLines
		if p.errorLines > 0 {
			e.r.Logf("replica %d logged %d errors; first ones:\n%s", p.n, p.errorLines, firstErrors(p.logPath, 5))
		}
	}
	return total
}

func countErrors(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "level=ERROR")
}

func firstErrors(path string, n int) string {
	b, _ := os.ReadFile(path)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "level=ERROR") {
			out = append(out, line)
			if len(out) == n {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// scheduleDigest sets the digest channel's next slot to at, as if the
// coordinator's weekly digest fell then (the warm-up set the schedule).
func (e *environment) scheduleDigest(ctx context.Context, at time.Time) error {
	tag, err := e.pool.Exec(ctx, `UPDATE schedules SET next_at = $1 WHERE platform = 'slack' AND room_id = $2`, at, digestChannel)
	if err != nil {
		return fmt.Errorf("move the digest slot: %w", err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("no digest schedule for %s: the coordinator's `digest every monday 09:00` was not recorded", digestChannel)
	}
	e.r.Logf("digest slot for %s at %s", digestChannel, at.Format("15:04:05"))
	return nil
}

// sentDigests counts the digests the database records as sent.
func (e *environment) sentDigests(ctx context.Context) int {
	var n int
	err := e.pool.QueryRow(ctx, `SELECT count(*) FROM digests WHERE platform = 'slack' AND room_id = $1 AND sent_at IS NOT NULL`,
		digestChannel).Scan(&n)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return -1
	}
	return n
}
