package main

import "syscall"

// sysProcAttr makes the kernel kill a replica if the harness dies without
// stopping it (a crash, SIGKILL), so no replica outlives it.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
