// Package pgtest starts a real, throwaway PostgreSQL server (Debian's
// binaries) on loopback for tests, and hands out fresh databases on it.
//
// A package whose tests need PostgreSQL calls Main from its TestMain; its
// tests then call Database. When the server binaries are missing, Database
// fails the test with the command that installs them: nothing is skipped.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver
)

var (
	shared   *Server
	startErr error
	counter  atomic.Int64
)

// Server is one PostgreSQL server in a temporary directory.
type Server struct {
	dir, data string
	port      int
	cmd       *exec.Cmd
	log       *os.File
	settings  []string // name=value server parameters beyond the defaults
}

// Main starts the server, runs the package's tests, runs each of after
// (which may still use the server) and stops it.
func Main(m *testing.M, after ...func()) int {
	shared, startErr = Start()
	code := m.Run()
	for _, f := range after {
		f()
	}
	if shared != nil {
		shared.Remove()
	}
	return code
}

// New starts a server of the test's own, which it may stop and start again
// (to play a database outage); it is removed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	s, err := Start()
	if err != nil {
		tb.Fatalf("PostgreSQL test server: %v (install it with: apt-get install -y postgresql)", err)
	}
	tb.Cleanup(s.Remove)
	return s
}

// Database creates a new, empty database on s and returns its URL.
func (s *Server) Database(tb testing.TB) string {
	tb.Helper()
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), counter.Add(1))
	db, err := sql.Open("pgx", s.url("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatal(err)
	}
	return s.url(name)
}

// Database returns the URL of a new, empty database for this test.
func Database(tb testing.TB) string {
	tb.Helper()
	if startErr != nil {
		tb.Fatalf("PostgreSQL test server: %v (install it with: apt-get install -y postgresql)", startErr)
	}
	if shared == nil {
		tb.Fatal("pgtest.Main was not called from TestMain")
	}
	return shared.Database(tb)
}

// URL is the address of database db on s, as the superuser postgres.
func (s *Server) URL(db string) string { return s.url(db) }

// PID is the process id of the server (the postmaster), whose children are
// its backends.
func (s *Server) PID() int { return s.cmd.Process.Pid }

func (s *Server) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// bin finds a PostgreSQL server binary of the newest installed version.
func bin(name string) (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
	if len(matches) == 0 {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		return "", fmt.Errorf("%s not found", name)
	}
	sort.Strings(matches)
	return matches[len(matches)-1], nil
}

// asServerUser makes cmd run as the postgres user when we are root:
// PostgreSQL refuses to run as root.
func asServerUser(cmd *exec.Cmd, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs a postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Start initializes and starts a server in a new temporary directory, for
// programs other than tests (the benchmark); Remove deletes it. settings
// are name=value server parameters beyond the defaults.
func Start(settings ...string) (*Server, error) {
	initdb, err := bin("initdb")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o755)
	s := &Server{dir: dir, data: filepath.Join(dir, "data"), settings: settings}
	if err := os.Mkdir(s.data, 0o700); err != nil {
		return nil, err
	}
	init := exec.Command(initdb, "-D", s.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	if err := asServerUser(init, s.data); err != nil {
		return nil, err
	}
	if out, err := init.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if s.port, err = freePort(); err != nil {
		return nil, err
	}
	if err := s.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// Start runs the server (again, after Stop) on its port and data, and
// waits until it answers.
func (s *Server) Start() error {
	postgres, err := bin("postgres")
	if err != nil {
		return err
	}
	// Durability is not what tests measure: trade it for speed.
	s.cmd = exec.Command(postgres, "-D", s.data, "-p", strconv.Itoa(s.port), "-k", s.data,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	for _, setting := range s.settings {
		s.cmd.Args = append(s.cmd.Args, "-c", setting)
	}
	if err := asServerUser(s.cmd, s.data); err != nil {
		return err
	}
	if s.log, err = os.OpenFile(filepath.Join(s.dir, "postgres.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
		return err
	}
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.log.Close()
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		db, _ := sql.Open("pgx", s.url("postgres"))
		err := db.PingContext(ctx)
		db.Close()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			s.Stop()
			return errors.Join(errors.New("postgres did not start"), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop shuts the server down fast (connections are cut), keeping its data.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.log.Close()
	s.cmd = nil
}

// Remove stops the server and deletes its files.
func (s *Server) Remove() {
	s.Stop()
	os.RemoveAll(s.dir)
}
