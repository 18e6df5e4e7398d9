package matrixtest

import (
	"fmt"
	"os"
	"sync"
	"testing"
)

// One Dendrite for a whole test package, started on first use:
//
//	func TestMain(m *testing.M) { matrixtest.Main(m) }
//
//	func TestX(t *testing.T) {
//		srv := matrixtest.Shared(t)
//		alice := srv.Register(t, srv.Unique("alice"), "password", false)
//	}
//
// Users and rooms persist for the whole run, so localparts must differ
// between tests and between runs of one test (go test -count=N): use Unique.
//
// Do not Stop or Restart the shared server (other tests use it): tests of
// restarts take their own server from Start.
var shared struct {
	mu      sync.Mutex
	inMain  bool
	started bool
	srv     *Server
	err     error
}

// Main runs the package's tests and then stops the shared server (if a test
// started one) and removes its directory. Call it from TestMain.
func Main(m *testing.M) {
	os.Exit(Run(m))
}

// Run is Main without the exit: it returns the exit code, so TestMain can
// check more (goroutines left behind) after the shared server has stopped.
func Run(m *testing.M) int {
	shared.mu.Lock()
	shared.inMain = true
	shared.mu.Unlock()

	code := m.Run()

	shared.mu.Lock()
	defer shared.mu.Unlock()
	if srv := shared.srv; srv != nil {
		if err := srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "matrixtest: stopping the shared Dendrite: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
		if code != 0 {
			fmt.Fprintf(os.Stderr, "matrixtest: end of the shared %s:\n%s\n", srv.logPath(), srv.logTail())
		}
		_ = os.RemoveAll(srv.Dir)
	}
	shared.srv = nil
	return code
}

// Shared returns the package's shared server, starting it on the first call.
// It needs TestMain to call Main (which stops it at the end). If the start
// failed, every caller fails with the same error.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.inMain {
		t.Fatal("matrixtest.Shared needs `func TestMain(m *testing.M) { matrixtest.Main(m) }` in the test package")
	}
	if !shared.started {
		shared.started = true
		shared.srv, shared.err = startShared()
	}
	if shared.err != nil {
		t.Fatalf("matrixtest: shared Dendrite: %v", shared.err)
	}
	return shared.srv
}

func startShared() (*Server, error) {
	dir, err := os.MkdirTemp("", "matrixtest-shared-")
	if err != nil {
		return nil, err
	}
	s, err := newServer(dir)
	if err == nil {
		err = s.startFresh()
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}
