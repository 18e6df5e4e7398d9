package store_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind (a pool
// not closed, a handler still running).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
