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
	server   *cluster
	startErr error
	counter  atomic.Int64
)

// cluster is one running postgres.
type cluster struct {
	dir  string
	port int
	cmd  *exec.Cmd
}

// Main starts the server, runs the package's tests and stops it.
func Main(m *testing.M) int {
	server, startErr = start()
	code := m.Run()
	if server != nil {
		server.stop()
	}
	return code
}

// Database returns the URL of a new, empty database for this test.
func Database(tb testing.TB) string {
	tb.Helper()
	if startErr != nil {
		tb.Fatalf("PostgreSQL test server: %v (install it with: apt-get install -y postgresql)", startErr)
	}
	if server == nil {
		tb.Fatal("pgtest.Main was not called from TestMain")
	}
	name := fmt.Sprintf("test_%d_%d", os.Getpid(), counter.Add(1))
	db, err := sql.Open("pgx", server.url("postgres"))
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatal(err)
	}
	return server.url(name)
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.port, db)
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

func start() (*cluster, error) {
	initdb, err := bin("initdb")
	if err != nil {
		return nil, err
	}
	postgres, err := bin("postgres")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, err
	}
	os.Chmod(dir, 0o755)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, err
	}
	init := exec.Command(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	if err := asServerUser(init, data); err != nil {
		return nil, err
	}
	if out, err := init.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c := &cluster{dir: dir, port: port}
	// Durability is not what tests measure: trade it for speed.
	c.cmd = exec.Command(postgres, "-D", data, "-p", strconv.Itoa(port), "-k", data,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200")
	if err := asServerUser(c.cmd, data); err != nil {
		return nil, err
	}
	log, _ := os.Create(filepath.Join(dir, "postgres.log"))
	c.cmd.Stdout, c.cmd.Stderr = log, log
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		db, _ := sql.Open("pgx", c.url("postgres"))
		err := db.PingContext(ctx)
		db.Close()
		if err == nil {
			return c, nil
		}
		if ctx.Err() != nil {
			c.stop()
			return nil, errors.Join(errors.New("postgres did not start"), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down fast and removes its files.
func (c *cluster) stop() {
	c.cmd.Process.Signal(syscall.SIGINT)
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(c.dir)
}
