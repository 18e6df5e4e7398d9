//go:build !unix

package matrixtest

// lockFile is a no-op where flock is missing: parallel test packages may then
// build Dendrite twice, which is slow but correct (each build renames
// finished binaries into place).
func lockFile(string) (func(), error) { return func() {}, nil }
