//go:build !unix

package storetest

import "testing"

// Unprivileged reports whether the calling test may go on in this process:
// always, where there is no root user to avoid.
func Unprivileged(t *testing.T) bool { return true }
