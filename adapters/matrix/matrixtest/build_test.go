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
)

// fakeBuild stands in for `go install`: it writes every binary into gobin
// and appends one line to counter per build.
func fakeBuild(counter string) func(string) error {
	return func(gobin string) error {
		f, err := os.OpenFile(counter, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return err
		}
		fmt.Fprintln(f, "built")
		f.Close()
		for _, c := range dendriteCommands {
			if err := os.WriteFile(filepath.Join(gobin, c), []byte("#!/bin/sh\n"), 0o755); err != nil {
				return err
			}
		}
		return nil
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

// TestBuildHelperProcess is not a test: TestEnsureBinariesBuildsOnceAcrossProcesses
// runs the test binary with it to get a second process calling ensureBinaries.
func TestBuildHelperProcess(t *testing.T) {
	dir := os.Getenv("KNOOP_MATRIXTEST_BUILD_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	if err := ensureBinaries(dir, io.Discard, fakeBuild(os.Getenv("KNOOP_MATRIXTEST_BUILD_COUNTER"))); err != nil {
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
			errs[i] = ensureBinaries(dir, &b, fakeBuild(counter))
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
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".build-*")); len(leftovers) != 0 {
		t.Fatalf("temporary build directories left behind: %v", leftovers)
	}
	if got := out.String(); got != "" && !strings.Contains(got, "building Dendrite v0.13.8 into "+dir+", once (about 3-4 minutes") {
		t.Fatalf("announcement = %q", got)
	}
}

// A build that fails half-way leaves no binary in place (so the next run
// builds again) and no temporary directory; a leftover of a killed build is
// cleared by the next build.
func TestEnsureBinariesFailedBuildLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	killed := filepath.Join(dir, ".build-123")
	if err := os.MkdirAll(killed, 0o755); err != nil {
		t.Fatal(err)
	}
	halfway := func(gobin string) error {
		_ = os.WriteFile(filepath.Join(gobin, "dendrite"), []byte("half"), 0o755)
		return errors.New("compiler killed")
	}
	var out strings.Builder
	err := ensureBinaries(dir, &out, halfway)
	if err == nil || !strings.Contains(err.Error(), "compiler killed") {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasPrefix(out.String(), "matrixtest: building Dendrite v0.13.8") {
		t.Fatalf("no announcement: %q", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "dendrite")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a half-built dendrite is in place: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".build-*")); len(leftovers) != 0 {
		t.Fatalf("temporary build directories left behind: %v", leftovers)
	}

	counter := filepath.Join(t.TempDir(), "count")
	out.Reset()
	if err := ensureBinaries(dir, &out, fakeBuild(counter)); err != nil {
		t.Fatal(err)
	}
	if n := builds(t, counter); n != 1 || checkBinaries(dir) != nil {
		t.Fatalf("after a failed build: %d builds, binaries: %v", n, checkBinaries(dir))
	}
	if !strings.Contains(out.String(), "matrixtest: built Dendrite v0.13.8 in ") {
		t.Fatalf("no closing line: %q", out.String())
	}
	// Present binaries: nothing is built and nothing is said.
	out.Reset()
	if err := ensureBinaries(dir, &out, fakeBuild(counter)); err != nil || builds(t, counter) != 1 || out.Len() != 0 {
		t.Fatalf("second call: err %v, %d builds, said %q", err, builds(t, counter), out.String())
	}
}
