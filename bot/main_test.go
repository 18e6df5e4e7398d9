package bot_test

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind (a pool
// not closed, a handler still running). Started with KNOOP_TEST_REPLICA
// set, the test binary is instead a scheduler replica that a test kills
// mid-send (replicas_test.go).
func TestMain(m *testing.M) {
	if schema := os.Getenv("KNOOP_TEST_REPLICA"); schema != "" {
		os.Exit(runReplica(schema))
	}
	goleak.VerifyTestMain(m)
}
