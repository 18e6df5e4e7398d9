//go:build !linux

package main

import "syscall"

// sysProcAttr: peak RSS and CPU figures need Linux's /proc; elsewhere the
// harness runs but reports them as 0.
func sysProcAttr() *syscall.SysProcAttr { return nil }
