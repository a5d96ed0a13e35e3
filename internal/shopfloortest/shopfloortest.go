// Package shopfloortest runs a real Shopfloor server, the binary built from
// this module, for the tests and examples of packages outside cmd/shopfloor
// (whose harness runs the server in-process, in package main).
package shopfloortest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/shopfloor-dev/shopfloor/demo"
)

// Server is a running `shopfloor serve` on a throwaway data directory.
type Server struct {
	URL      string // base URL, http://127.0.0.1:PORT
	TokenURL string // the realm's token endpoint
	Creds    demo.Credentials
	dir      string
	cmd      *exec.Cmd
}

// Start builds the shopfloor command (with the race detector when the test
// binary has it, so that the build reuses the test build's packages) and
// serves it on a free loopback port with the demo data and these extra
// flags; Stop ends it.
func Start(flags ...string) (*Server, error) {
	dir, err := os.MkdirTemp("", "shopfloortest-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	bin := filepath.Join(dir, "shopfloor")
	build := exec.Command("go", append(append([]string{"build"}, buildFlags...), "-o", bin, "github.com/shopfloor-dev/shopfloor/cmd/shopfloor")...)
	if out, err := build.CombinedOutput(); err != nil {
		s.Stop()
		return nil, fmt.Errorf("go build: %v\n%s", err, out)
	}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data")}, flags...)...)
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		s.Stop()
		return nil, err
	}
	if err := s.await(stdout); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// await reads the banner for the URL, then waits until the server answers
// /healthz and reads the demo credentials.
func (s *Server) await(stdout interface{ Read([]byte) (int, error) }) error {
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), "GraphQL:"); ok {
			s.URL = strings.TrimSuffix(strings.TrimSpace(u), "/graphql")
			break
		}
	}
	if s.URL == "" {
		return errors.New("shopfloor serve printed no GraphQL URL")
	}
	go func() { // keep draining the banner so the server never blocks on it
		for lines.Scan() {
		}
	}()
	s.TokenURL = s.URL + "/realms/api-keys/protocol/openid-connect/token"
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		if resp, err := http.Get(s.URL + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-ctx.Done():
			return errors.New("shopfloor serve did not answer /healthz")
		case <-time.After(20 * time.Millisecond):
		}
	}
	raw, err := os.ReadFile(filepath.Join(s.dir, "data", "demo-credentials.json"))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, &s.Creds)
}

// APIKey is a demo API key of organization org (0 or 1) with this role.
func (s *Server) APIKey(org int, role string) demo.APIKey {
	for _, k := range s.Creds.Orgs[org].APIKeys {
		if k.Role == role {
			return k
		}
	}
	panic("no demo API key with role " + role)
}

// Stop ends the server (SIGTERM, as an operator would) and removes its data.
func (s *Server) Stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(os.Interrupt)
		s.cmd.Wait()
	}
	os.RemoveAll(s.dir)
}
