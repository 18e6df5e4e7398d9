package matrixtest

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// buildMu keeps the tests of one package from building twice; the file lock
// in ensureBinaries does the same across test binaries (go test runs
// packages in parallel).
var buildMu sync.Mutex

// processStart approximates when the test binary started, for its timeout.
var processStart = time.Now()

// ensureBinaries makes sure dir holds the Dendrite binaries. If any is
// missing it builds all of them with `go install …@v0.13.8` — once: under an
// exclusive lock on dir/.build.lock, re-checking after the lock is taken, so
// parallel test packages wait for the first one's build instead of building
// again. One line on w says that a build starts and how long it takes, one
// more when it is done.
//
// The build runs as a process of its own (command gives it: goInstall, or a
// stand-in in the tests of the locking). It writes into a temporary
// directory inside dir and moves each finished binary into place, so a build
// killed half-way never leaves a half-written binary; it inherits the lock
// and keeps it until it is done. It outlives this process: when the test
// binary's deadline (go test -timeout, 10 minutes by default) comes before
// the end of the build, ensureBinaries stops waiting and says so, and the
// next run finds the binaries.
func ensureBinaries(dir string, w io.Writer, command func(tmp, dir string) *exec.Cmd) error {
	if checkBinaries(dir) == nil {
		return nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the Dendrite directory: %w", err)
	}
	lock, err := lockFile(filepath.Join(dir, ".build.lock"))
	if err != nil {
		return fmt.Errorf("locking the Dendrite directory: %w", err)
	}
	defer lock.Close() // the build, if one runs, holds the lock on
	if checkBinaries(dir) == nil {
		return nil // another test binary built them while we waited
	}

	// Leftovers of builds that were killed (no build runs: we hold the lock).
	old, _ := filepath.Glob(filepath.Join(dir, ".build-*"))
	for _, o := range old {
		_ = os.RemoveAll(o)
	}
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return err
	}
	logPath := filepath.Join(dir, ".build.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := command(tmp, dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = detached()
	if lock != nil {
		cmd.ExtraFiles = []*os.File{lock}
	}
	fmt.Fprintf(w, "matrixtest: building Dendrite %s into %s, once (about 3-4 minutes on a machine with empty Go caches)\n", DendriteVersion, dir)
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("building Dendrite (%s): %w", InstallCommand(dir), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timeout <-chan time.Time
	if d, ok := buildWait(); ok {
		timeout = time.After(d)
	}
	select {
	case err := <-done:
		if err != nil {
			_ = os.RemoveAll(tmp)
			out, _ := os.ReadFile(logPath)
			return fmt.Errorf("building Dendrite (%s): %w\n%s", InstallCommand(dir), err, tail(out, 4<<10))
		}
	case <-timeout:
		return fmt.Errorf("Dendrite %s is still being built into %s (started %v ago; its output goes to %s): run the tests again when it is done, or with a longer -timeout",
			DendriteVersion, dir, time.Since(t0).Round(time.Second), logPath)
	}
	if err := checkBinaries(dir); err != nil {
		return fmt.Errorf("after building Dendrite: %w", err)
	}
	fmt.Fprintf(w, "matrixtest: built Dendrite %s in %v\n", DendriteVersion, time.Since(t0).Round(time.Second))
	return nil
}

// buildWait is waitBudget; the tests of the locking shorten it.
var buildWait = waitBudget

// waitBudget is how long a test binary may wait for a build: until a minute
// before its -test.timeout runs out. Outside a test binary (or with
// -timeout 0) there is no limit.
func waitBudget() (time.Duration, bool) {
	f := flag.Lookup("test.timeout")
	if f == nil {
		return 0, false
	}
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return 0, false
	}
	timeout, _ := g.Get().(time.Duration)
	if timeout <= 0 {
		return 0, false
	}
	return max(time.Until(processStart.Add(timeout-time.Minute)), 0), true
}

// goInstall is the build: go install into tmp, then each binary moved into
// dir (a rename within one file system), then tmp removed.
func goInstall(tmp, dir string) *exec.Cmd {
	args := []string{"-c", `set -e
go install "$@"
for c in ` + strings.Join(dendriteCommands, " ") + `; do mv "$KNOOP_BUILD_TMP/$c" "$KNOOP_BUILD_DIR/$c"; done
rm -rf "$KNOOP_BUILD_TMP"`, "sh"}
	for _, c := range dendriteCommands {
		args = append(args, "github.com/matrix-org/dendrite/cmd/"+c+"@"+DendriteVersion)
	}
	cmd := exec.Command("sh", args...)
	// Outside any module: pkg@version ignores the current module anyway, and
	// a GOFLAGS meant for Knoop (-tags, -mod) must not reach Dendrite. go
	// test puts its own toolchain first in the test's PATH.
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "KNOOP_BUILD_TMP="+tmp, "KNOOP_BUILD_DIR="+dir)
	return cmd
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
