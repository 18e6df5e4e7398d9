package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind: every
// command run in-process (knoop run included) must stop what it started.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
