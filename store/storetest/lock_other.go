//go:build !unix

package storetest

// lockFile is a no-op where flock is missing: test binaries arriving
// together may then both try to start the embedded server, and one fails.
func lockFile(string) (func(), error) { return func() {}, nil }
