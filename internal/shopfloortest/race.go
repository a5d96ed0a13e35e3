//go:build race

package shopfloortest

// buildFlags build the server as the test binary is built: with the race
// detector, whose compiled packages the test build has already cached.
var buildFlags = []string{"-race"}
