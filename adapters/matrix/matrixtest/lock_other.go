//go:build !unix

package matrixtest

import (
	"os"
	"syscall"
)

// lockFile is a no-op where flock is missing: parallel test packages may then
// build Dendrite twice, which is slow but correct (each build moves finished
// binaries into place).
func lockFile(string) (*os.File, error) { return nil, nil }

func detached() *syscall.SysProcAttr { return nil }
