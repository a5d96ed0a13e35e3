package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childServeEnv carries, as JSON, the arguments of run for a copy of the
// test binary that serves instead of testing (see TestMain).
const childServeEnv = "SHOPFLOOR_TEST_CHILD_ARGS"

// serveChild runs `shopfloor serve` with the JSON-encoded args, as the
// binary's main does, and returns its exit code.
func serveChild(args string) int {
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, argv, func(string) string { return "" }, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// spawn serves data directory dir in a process of its own (a copy of the
// test binary), so that a test can kill it as a crash does; the process is
// killed when the test ends, if it still runs.
func spawn(t *testing.T, dir string, extra ...string) (*testServer, *os.Process) {
	t.Helper()
	args, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, extra...))
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childServeEnv+"="+string(args))
	s := &testServer{Dir: dir, Stdout: &syncBuffer{}, Stderr: &syncBuffer{}, storeArgs: []string{"--data", dir}}
	cmd.Stderr = s.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for s.URL == "" && lines.Scan() {
		if u, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), "GraphQL:"); ok {
			s.URL = strings.TrimSuffix(strings.TrimSpace(u), "/graphql")
		}
	}
	if s.URL == "" {
		t.Fatalf("the spawned server printed no GraphQL URL:\n%s", s.Stderr)
	}
	go func() { // keep draining the banner so the server never blocks on it
		for lines.Scan() {
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if r, err := http.Get(s.URL + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the spawned server did not answer /healthz:\n%s", s.Stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	raw, err := os.ReadFile(filepath.Join(dir, CredentialsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &s.Creds); err != nil {
		t.Fatal(err)
	}
	return s, cmd.Process
}
