package matrixtest

import "syscall"

// sysProcAttr makes the kernel kill Dendrite if the test binary dies without
// running its cleanups (go test -timeout, a crash), so no server outlives it.
// (The signal follows the OS thread that started Dendrite; Go only ends a
// thread when a goroutine locked to it with runtime.LockOSThread returns, so
// do not call Start/Restart from such a goroutine.)
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
