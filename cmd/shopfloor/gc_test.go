package main

import (
	"runtime/debug"
	"testing"
)

// The collector's policy applies unless the environment sets its own. Not
// parallel: GOGC and the memory limit are the process's, and each case reads
// back what it set before restoring them.
func TestGCPolicyYieldsToEnvironment(t *testing.T) {
	prevGOGC, prevLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(prevGOGC); debug.SetMemoryLimit(prevLimit) })
	for _, c := range []struct {
		name      string
		env       map[string]string
		wantGOGC  int
		wantLimit int64
	}{
		{"defaults", nil, defaultGOGC, defaultMemoryLimitMiB << 20},
		{"environment wins", map[string]string{"GOGC": "50", "GOMEMLIMIT": "64MiB"}, 100, 1 << 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			debug.SetGCPercent(100)
			debug.SetMemoryLimit(1 << 40)
			applyGCPolicy(func(k string) string { return c.env[k] }, defaultGOGC, defaultMemoryLimitMiB)
			if got := debug.SetGCPercent(100); got != c.wantGOGC {
				t.Errorf("GOGC %d, want %d", got, c.wantGOGC)
			}
			if got := debug.SetMemoryLimit(-1); got != c.wantLimit {
				t.Errorf("memory limit %d, want %d", got, c.wantLimit)
			}
		})
	}
}
