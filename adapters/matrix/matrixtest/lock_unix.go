//go:build unix

package matrixtest

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive flock on path (created if missing), waiting
// for other holders. The lock belongs to the open file: it is released when
// the file is closed here and in every process that inherited it, or when
// they die.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// detached starts the build in a session of its own, so it is not killed
// with the test binary (go test kills a binary past its timeout).
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
