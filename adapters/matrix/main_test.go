package matrix_test

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"

	"knoop/adapters/matrix/matrixtest"
)

// TestMain runs the tests on the package's shared Dendrite and then fails
// the package if a test left goroutines behind (a sync loop, a handler, a
// pool still running after Run returned).
func TestMain(m *testing.M) {
	code := matrixtest.Run(m)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}
