// Package matrixtest runs a real Matrix homeserver (Dendrite v0.13.8,
// github.com/matrix-org/dendrite, Apache-2.0) for tests.
//
// The Dendrite binaries are looked up in the directory named by
// $KNOOP_DENDRITE_BIN, else $XDG_CACHE_HOME/knoop-dendrite/bin, else
// $HOME/.cache/knoop-dendrite/bin. When any is missing, the first test that
// needs a server builds them there (`go install …@v0.13.8`, about 3-4 minutes
// with empty Go caches, seconds with warm ones), once per machine: parallel
// test packages wait on a file lock for that build instead of starting their
// own. To build them by hand:
//
//	GOBIN=$HOME/.cache/knoop-dendrite/bin go install \
//	  github.com/matrix-org/dendrite/cmd/dendrite@v0.13.8 \
//	  github.com/matrix-org/dendrite/cmd/generate-keys@v0.13.8 \
//	  github.com/matrix-org/dendrite/cmd/generate-config@v0.13.8 \
//	  github.com/matrix-org/dendrite/cmd/create-account@v0.13.8
//
// Each server uses SQLite files in its own temporary directory, listens on
// 127.0.0.1 only, has federation and open registration off, and accepts
// shared-secret registration (Server.Register).
package matrixtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
	"maunium.net/go/mautrix/synapseadmin"
)

// DendriteVersion is the Dendrite release the harness is written for.
const DendriteVersion = "v0.13.8"

// ServerName is the Matrix server name of every test server.
const ServerName = "localhost"

var dendriteCommands = []string{"dendrite", "generate-keys", "generate-config", "create-account"}

// Timeouts. Dendrite is normally ready in about half a second; the margins
// are for loaded CI machines and the race detector.
const (
	readyTimeout   = 60 * time.Second
	stopGrace      = 15 * time.Second
	requestTimeout = 30 * time.Second
)

// Server is a running Dendrite. URL, ServerName, SharedSecret, Dir and Port do
// not change over Stop/Restart.
type Server struct {
	URL          string // client-server API base, http://127.0.0.1:PORT
	ServerName   string // "localhost": user IDs are @name:localhost
	SharedSecret string // registration_shared_secret
	Dir          string // config, keys, SQLite files and dendrite.log
	Port         int

	binDir string

	mu   sync.Mutex
	proc *process // nil while stopped

	seq atomic.Int64 // for Unique
}

type process struct {
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{} // closed when the process has exited
	err  error         // cmd.Wait's result, valid after done
}

// BinDir is the directory the Dendrite binaries are taken from.
func BinDir() string {
	if d := os.Getenv("KNOOP_DENDRITE_BIN"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "knoop-dendrite", "bin")
	}
	if d, err := os.UserHomeDir(); err == nil {
		return filepath.Join(d, ".cache", "knoop-dendrite", "bin")
	}
	return filepath.Join(os.TempDir(), "knoop-dendrite", "bin")
}

// InstallCommand is the shell command that builds the binaries into dir.
func InstallCommand(dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "GOBIN=%s go install", dir)
	for _, c := range dendriteCommands {
		fmt.Fprintf(&b, " github.com/matrix-org/dendrite/cmd/%s@%s", c, DendriteVersion)
	}
	return b.String()
}

func checkBinaries(dir string) error {
	var missing []string
	for _, c := range dendriteCommands {
		if fi, err := os.Stat(filepath.Join(dir, c)); err != nil || fi.IsDir() {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("Dendrite binaries missing from %s: %s", dir, strings.Join(missing, ", "))
	}
	return nil
}

// TB is the part of testing.TB that Start, Register, Login, Stop and
// Restart use; *testing.T satisfies it, and a program (a load harness) can
// supply its own.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Cleanup(func())
	Failed() bool
	TempDir() string
}

var _ TB = testing.TB(nil)

// Start creates a fresh Dendrite in t.TempDir() and starts it. It is stopped
// when the test ends. Missing binaries are built first (see the package
// comment); a failed build is a test failure, not a skip.
func Start(t TB) *Server {
	t.Helper()
	s, err := newServer(t.TempDir())
	if err != nil {
		t.Fatalf("matrixtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("matrixtest: stopping Dendrite: %v", err)
		}
		if t.Failed() {
			t.Logf("matrixtest: end of %s:\n%s", s.logPath(), s.logTail())
		}
	})
	if err := s.startFresh(); err != nil {
		t.Fatalf("matrixtest: %v", err)
	}
	return s
}

// newServer writes keys and configuration into dir.
func newServer(dir string) (*Server, error) {
	binDir := BinDir()
	if err := ensureBinaries(binDir, os.Stderr, goInstall); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	s := &Server{ServerName: ServerName, SharedSecret: rand.Text(), Dir: dir, binDir: binDir}

	key := filepath.Join(dir, "matrix_key.pem")
	if out, err := exec.Command(s.bin("generate-keys"), "--private-key", key).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("generate-keys: %v\n%s", err, out)
	}
	var stderr bytes.Buffer
	gen := exec.Command(s.bin("generate-config"), "-ci", "-dir", dir, "-server", ServerName)
	gen.Stderr = &stderr
	yaml, err := gen.Output()
	if err != nil {
		return nil, fmt.Errorf("generate-config: %v\n%s", err, stderr.Bytes())
	}
	yaml, err = patchConfig(yaml, key, s.SharedSecret)
	if err != nil {
		return nil, fmt.Errorf("patching the generated dendrite.yaml: %w", err)
	}
	if err := os.WriteFile(s.configPath(), yaml, 0o600); err != nil {
		return nil, err
	}
	return s, nil
}

// patchConfig edits the YAML printed by `generate-config -ci` (gopkg.in/yaml.v2
// output: one "key: value" per line). Every key must occur exactly once.
func patchConfig(yaml []byte, key, secret string) ([]byte, error) {
	edits := []struct{ key, value string }{
		{"private_key", quote(key)}, // else resolved against the working directory
		{"registration_disabled", "true"},
		{"registration_shared_secret", quote(secret)},
		{"disable_federation", "true"},
		{"level", "warn"}, // the only logging hook; -ci sets it to trace
	}
	lines := strings.Split(string(yaml), "\n")
	for _, e := range edits {
		found := 0
		for i, line := range lines {
			rest := strings.TrimLeft(line, " ")
			rest = strings.TrimPrefix(rest, "- ")
			if !strings.HasPrefix(rest, e.key+":") {
				continue
			}
			after := rest[len(e.key)+1:]
			if after != "" && after[0] != ' ' {
				continue
			}
			found++
			lines[i] = line[:len(line)-len(after)] + " " + e.value
		}
		if found != 1 {
			return nil, fmt.Errorf("key %q found %d times, want 1", e.key, found)
		}
	}
	return []byte(strings.Join(lines, "\n")), nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func (s *Server) bin(name string) string { return filepath.Join(s.binDir, name) }
func (s *Server) configPath() string     { return filepath.Join(s.Dir, "dendrite.yaml") }
func (s *Server) logPath() string        { return filepath.Join(s.Dir, "dendrite.log") }

// startFresh picks a free port and starts; if Dendrite cannot bind (another
// process took the port between the probe and the bind) it tries other ports.
func (s *Server) startFresh() error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var port int
		if port, err = freePort(); err != nil {
			return err
		}
		s.Port = port
		s.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
		if err = s.start(); err == nil || !errors.Is(err, errExited) {
			return err
		}
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var errExited = errors.New("Dendrite exited during start-up")

// start runs dendrite on s.Port and waits until it answers.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return errors.New("Dendrite is already running")
	}
	logf, err := os.OpenFile(s.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	fmt.Fprintf(logf, "=== matrixtest: starting Dendrite on 127.0.0.1:%d at %s\n", s.Port, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(s.bin("dendrite"),
		"-config", s.configPath(),
		"-http-bind-address", fmt.Sprintf("127.0.0.1:%d", s.Port))
	cmd.Dir = s.Dir // relative paths Dendrite may still use land in the temp dir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	p := &process{cmd: cmd, log: logf, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		p.log.Close()
		close(p.done)
	}()
	s.proc = p

	err = s.waitReady(p)
	if err == nil {
		err = s.checkIdentity()
	}
	if err != nil {
		_ = s.stopLocked()
		return fmt.Errorf("%w\nend of %s:\n%s", err, s.logPath(), s.logTail())
	}
	return nil
}

// checkIdentity makes sure the server answering on s.Port is this one and not
// another test's Dendrite that took the port first (our own process would then
// fail to bind and exit, but only after the other one had answered). It sends
// a shared-secret registration with a valid MAC for an invalid username: our
// server answers M_INVALID_USERNAME and creates nobody; any other server
// answers "bad mac" (its secret differs).
func (s *Server) checkIdentity() error {
	anon, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, err = (&synapseadmin.Client{Client: anon}).SharedSecretRegister(ctx, s.SharedSecret,
		synapseadmin.ReqSharedSecretRegister{Username: "matrixtest probe", Password: "matrixtest-probe"})
	if errors.Is(err, mautrix.MInvalidUsername) {
		return nil
	}
	if errors.Is(err, mautrix.MForbidden) {
		return fmt.Errorf("%w: another server answers on port %d (%v)", errExited, s.Port, err)
	}
	return fmt.Errorf("probing the server's shared secret: got %v, want M_INVALID_USERNAME", err)
}

func (s *Server) waitReady(p *process) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("%w (%v)", errExited, p.err)
		default:
		}
		resp, err := client.Get(s.URL + "/_matrix/client/versions")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("HTTP %s", resp.Status)
		}
		lastErr = err
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("Dendrite did not answer /_matrix/client/versions within %v: %v", readyTimeout, lastErr)
}

// stop ends the process (SIGTERM, SIGKILL after stopGrace). Stopping a stopped
// server does nothing.
func (s *Server) stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopLocked()
}

func (s *Server) stopLocked() error {
	p := s.proc
	if p == nil {
		return nil
	}
	s.proc = nil
	select {
	case <-p.done:
		return fmt.Errorf("Dendrite had exited on its own: %v", p.err)
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(stopGrace):
	}
	_ = p.cmd.Process.Kill()
	<-p.done
	return fmt.Errorf("Dendrite ignored SIGTERM for %v and was killed", stopGrace)
}

// Stop stops the server (SIGTERM; SIGKILL after 15 s), keeping its data, for
// "while the server is down" tests; Restart brings it back on the same URL.
// Stopping a stopped server does nothing.
func (s *Server) Stop(t TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("matrixtest: %v", err)
	}
}

// Restart stops the server if it runs and starts it again on the same port
// with the same data. Access tokens issued before stay valid.
func (s *Server) Restart(t TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("matrixtest: %v", err)
	}
	if err := s.start(); err != nil {
		t.Fatalf("matrixtest: restarting Dendrite on port %d: %v", s.Port, err)
	}
}

// Running reports whether the Dendrite process is up.
func (s *Server) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return false
	}
	select {
	case <-s.proc.done:
		return false
	default:
		return true
	}
}

func (s *Server) logTail() string {
	b, err := os.ReadFile(s.logPath())
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	const max = 8 << 10
	if len(b) > max {
		b = append([]byte("…"), b[len(b)-max:]...)
	}
	return string(b)
}

// UserID is the Matrix ID of a local user: "@localpart:localhost".
func UserID(localpart string) id.UserID {
	return id.NewUserID(localpart, ServerName)
}

// Unique returns prefix plus a suffix not returned before by this server
// ("alice-1", "alice-2", …): localparts for tests sharing one server, or
// running more than once (go test -count=N with Shared).
func (s *Server) Unique(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, s.seq.Add(1))
}

// Register creates a user by shared-secret registration and returns a client
// logged in as that user (a fresh device). Passwords need 8 or more
// characters; localparts are lowercased by the server.
func (s *Server) Register(t TB, localpart, password string, admin bool) *mautrix.Client {
	t.Helper()
	cli, err := s.register(localpart, password, admin)
	if err != nil {
		t.Fatalf("matrixtest: registering %s: %v", localpart, err)
	}
	return cli
}

func (s *Server) register(localpart, password string, admin bool) (*mautrix.Client, error) {
	anon, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	// No UserType: Dendrite leaves it out of the MAC and answers "bad mac".
	resp, err := (&synapseadmin.Client{Client: anon}).SharedSecretRegister(ctx, s.SharedSecret,
		synapseadmin.ReqSharedSecretRegister{Username: localpart, Password: password, Admin: admin})
	if err != nil {
		return nil, err
	}
	if resp.AccessToken == "" {
		return nil, errors.New("no access token in the registration response")
	}
	cli, err := mautrix.NewClient(s.URL, resp.UserID, resp.AccessToken)
	if err != nil {
		return nil, err
	}
	cli.DeviceID = resp.DeviceID
	return cli, nil
}

// Login logs an existing user in on a new device (password login), e.g. to
// get a second client for a user registered earlier.
func (s *Server) Login(t TB, localpart, password string) *mautrix.Client {
	t.Helper()
	cli, err := mautrix.NewClient(s.URL, "", "")
	if err != nil {
		t.Fatalf("matrixtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, err = cli.Login(ctx, &mautrix.ReqLogin{
		Type:             mautrix.AuthTypePassword,
		Identifier:       mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: localpart},
		Password:         password,
		StoreCredentials: true,
	})
	if err != nil {
		t.Fatalf("matrixtest: logging in %s: %v", localpart, err)
	}
	return cli
}
