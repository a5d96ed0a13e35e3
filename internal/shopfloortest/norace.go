//go:build !race

package shopfloortest

// buildFlags build the server as the test binary is built.
var buildFlags []string
