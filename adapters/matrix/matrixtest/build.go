package matrixtest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

// buildMu keeps the tests of one package from building twice; the file lock
// in ensureBinaries does the same across test binaries (go test runs
// packages in parallel).
var buildMu sync.Mutex

// ensureBinaries makes sure dir holds the Dendrite binaries. If any is
// missing it builds all of them with `go install …@v0.13.8` — once: under an
// exclusive lock on dir/.build.lock, re-checking after the lock is taken, so
// parallel test packages wait for the first one's build instead of building
// again. The binaries go into a temporary directory inside dir and are renamed
// into place, so a build killed half-way never leaves a half-written binary.
// One line on w says that a build starts and how long it takes, one more when
// it is done.
//
// build writes the binaries into the directory it is given: goInstall, or a
// stand-in in the tests of this file's locking.
func ensureBinaries(dir string, w io.Writer, build func(gobin string) error) error {
	if checkBinaries(dir) == nil {
		return nil
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the Dendrite directory: %w", err)
	}
	unlock, err := lockFile(filepath.Join(dir, ".build.lock"))
	if err != nil {
		return fmt.Errorf("locking the Dendrite directory: %w", err)
	}
	defer unlock()
	if checkBinaries(dir) == nil {
		return nil // another test binary built them while we waited
	}

	// Leftovers of builds that were killed.
	old, _ := filepath.Glob(filepath.Join(dir, ".build-*"))
	for _, o := range old {
		_ = os.RemoveAll(o)
	}
	tmp, err := os.MkdirTemp(dir, ".build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(w, "matrixtest: building Dendrite %s into %s, once (about 3-4 minutes on a machine with empty Go caches)\n", DendriteVersion, dir)
	t0 := time.Now()
	if err := build(tmp); err != nil {
		return fmt.Errorf("building Dendrite (%s): %w", InstallCommand(dir), err)
	}
	for _, c := range dendriteCommands {
		if err := os.Rename(filepath.Join(tmp, c), filepath.Join(dir, c)); err != nil {
			return fmt.Errorf("moving the built %s into place: %w", c, err)
		}
	}
	fmt.Fprintf(w, "matrixtest: built Dendrite %s in %v\n", DendriteVersion, time.Since(t0).Round(time.Second))
	return checkBinaries(dir)
}

// goInstall builds the Dendrite commands into gobin.
func goInstall(gobin string) error {
	args := []string{"install"}
	for _, c := range dendriteCommands {
		args = append(args, "github.com/matrix-org/dendrite/cmd/"+c+"@"+DendriteVersion)
	}
	// go test puts its own toolchain first in the test's PATH.
	cmd := exec.Command("go", args...)
	// Outside any module: pkg@version ignores the current module anyway, and
	// a GOFLAGS meant for Knoop (-tags, -mod) must not reach Dendrite.
	cmd.Dir = gobin
	cmd.Env = append(os.Environ(), "GOBIN="+gobin, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}
