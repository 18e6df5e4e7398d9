package matrixtest

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeBuild stands in for goInstall: a process that appends one line to
// counter, waits delay (simulated work), then puts every binary in place
// the way goInstall does. With fail it leaves a half-written dendrite in tmp
// and exits 1.
func fakeBuild(counter string, delay time.Duration, fail bool) func(tmp, dir string) *exec.Cmd {
	return func(tmp, dir string) *exec.Cmd {
		script := `echo built >> "$COUNTER"; sleep "$DELAY"
if [ -n "$FAIL" ]; then echo half > "$T/dendrite"; echo "compiler killed" >&2; exit 1; fi
for c in ` + strings.Join(dendriteCommands, " ") + `; do printf '#!/bin/sh\n' > "$T/$c"; chmod +x "$T/$c"; mv "$T/$c" "$D/$c"; done
rm -rf "$T"`
		cmd := exec.Command("sh", "-c", script)
		failing := ""
		if fail {
			failing = "1"
		}
		cmd.Env = append(os.Environ(), "COUNTER="+counter, fmt.Sprintf("DELAY=%g", delay.Seconds()), "FAIL="+failing, "T="+tmp, "D="+dir)
		return cmd
	}
}

func builds(t *testing.T, counter string) int {
	t.Helper()
	b, err := os.ReadFile(counter)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "built\n")
}

func noLeftovers(t *testing.T, dir string) {
	t.Helper()
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".build-*")); len(leftovers) != 0 {
		t.Fatalf("temporary build directories left behind: %v", leftovers)
	}
}

// TestBuildHelperProcess is not a test: TestEnsureBinariesBuildsOnceAcrossProcesses
// runs the test binary with it to get other processes calling ensureBinaries.
func TestBuildHelperProcess(t *testing.T) {
	dir := os.Getenv("KNOOP_MATRIXTEST_BUILD_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	if err := ensureBinaries(dir, io.Discard, fakeBuild(os.Getenv("KNOOP_MATRIXTEST_BUILD_COUNTER"), 0, false)); err != nil {
		t.Fatal(err)
	}
}

// Two test processes and several goroutines asking for the binaries at once
// build them once, and the one line says what happens.
func TestEnsureBinariesBuildsOnceAcrossProcesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bin")
	counter := filepath.Join(t.TempDir(), "count")

	var procs []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBuildHelperProcess$")
		cmd.Env = append(os.Environ(), "KNOOP_MATRIXTEST_BUILD_DIR="+dir, "KNOOP_MATRIXTEST_BUILD_COUNTER="+counter)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	var wg sync.WaitGroup
	var out strings.Builder
	var outMu sync.Mutex
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() {
			var b strings.Builder
			errs[i] = ensureBinaries(dir, &b, fakeBuild(counter, 0, false))
			outMu.Lock()
			out.WriteString(b.String())
			outMu.Unlock()
		})
	}
	wg.Wait()
	for _, p := range procs {
		if err := p.Wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := builds(t, counter); n != 1 {
		t.Fatalf("%d builds, want 1", n)
	}
	if err := checkBinaries(dir); err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, dir)
	if got := out.String(); got != "" && !strings.Contains(got, "building Dendrite v0.13.8 into "+dir+", once (about 3-4 minutes") {
		t.Fatalf("announcement = %q", got)
	}
}

// A build that outlasts the test binary's deadline goes on without it and
// keeps the lock: ensureBinaries says so, and the next caller waits for that
// build instead of starting another.
func TestEnsureBinariesSlowBuildOutlivesTheWait(t *testing.T) {
	dir := t.TempDir()
	counter := filepath.Join(t.TempDir(), "count")
	old := buildWait
	buildWait = func() (time.Duration, bool) { return 0, true }
	t.Cleanup(func() { buildWait = old })

	err := ensureBinaries(dir, io.Discard, fakeBuild(counter, time.Second, false))
	if err == nil || !strings.Contains(err.Error(), "is still being built into "+dir) {
		t.Fatalf("err = %v", err)
	}
	buildWait = old
	if err := ensureBinaries(dir, io.Discard, fakeBuild(counter, 0, false)); err != nil {
		t.Fatal(err)
	}
	if n := builds(t, counter); n != 1 {
		t.Fatalf("%d builds, want 1 (the second caller must wait for the first build)", n)
	}
	if err := checkBinaries(dir); err != nil {
		t.Fatal(err)
	}
	noLeftovers(t, dir)
}

// A build that fails half-way leaves no binary in place (so the next run
// builds again) and no temporary directory; a leftover of a killed build is
// cleared by the next build.
func TestEnsureBinariesFailedBuildLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".build-123"), 0o755); err != nil {
		t.Fatal(err)
	}
	counter := filepath.Join(t.TempDir(), "count")
	var out strings.Builder
	err := ensureBinaries(dir, &out, fakeBuild(counter, 0, true))
	if err == nil || !strings.Contains(err.Error(), "compiler killed") || !strings.Contains(err.Error(), "GOBIN="+dir+" go install") {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(out.String(), "matrixtest: building Dendrite v0.13.8") {
		t.Fatalf("no announcement: %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "dendrite")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a half-built dendrite is in place: %v", err)
	}
	noLeftovers(t, dir)

	out.Reset()
	if err := ensureBinaries(dir, &out, fakeBuild(counter, 0, false)); err != nil {
		t.Fatal(err)
	}
	if n := builds(t, counter); n != 2 || checkBinaries(dir) != nil {
		t.Fatalf("after a failed build: %d builds, binaries: %v", n, checkBinaries(dir))
	}
	if !strings.Contains(out.String(), "matrixtest: built Dendrite v0.13.8 in ") {
		t.Fatalf("no closing line: %q", out.String())
	}
	// Present binaries: nothing is built and nothing is said.
	out.Reset()
	if err := ensureBinaries(dir, &out, fakeBuild(counter, 0, false)); err != nil || builds(t, counter) != 2 || out.Len() != 0 {
		t.Fatalf("third call: err %v, %d builds, said %q", err, builds(t, counter), out.String())
	}
}
