package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one process under test, reached over loopback.
type server struct {
	name   string
	cmd    *exec.Cmd
	log    string        // the file its output goes to
	exited chan struct{} // closed when the process has ended
}

// logTail is the end of the process's output, for an error that needs it.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// startServer runs a server process, logging to dir/name.log, and waits
// until ready answers with a status below 500.
func startServer(ctx context.Context, dir, name string, env []string, ready string, command string, args ...string) (*server, error) {
	log, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(command, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the benchmark
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{name: name, cmd: cmd, log: log.Name(), exited: make(chan struct{})}
	var waitErr error
	go func() { waitErr = cmd.Wait(); log.Close(); close(s.exited) }()
	deadline := time.After(120 * time.Second)
	for {
		resp, err := http.Get(ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode < http.StatusInternalServerError {
				return s, nil
			}
		}
		select {
		case <-s.exited:
			return nil, fmt.Errorf("%s exited: %v; its log ends:\n%s", name, waitErr, s.logTail())
		case <-deadline:
			s.stop()
			return nil, fmt.Errorf("%s did not become ready; its log ends:\n%s", name, s.logTail())
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stop asks the process to end and kills it if it lingers.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// clockTicks is the kernel's USER_HZ: /proc reports CPU time in these.
const clockTicks = 100

// cpuTime is the user plus system time pid has used.
func cpuTime(pid int) time.Duration {
	f, err := procStat(pid)
	if err != nil || len(f) < 13 {
		return 0
	}
	return ticks(f)
}

// ticks is utime plus stime of a stat line's fields.
func ticks(f []string) time.Duration {
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// procStat returns the fields of /proc/pid/stat after the command name:
// f[0] is the state, f[1] the parent's pid, f[11] utime, f[12] stime, f[19]
// the start time.
func procStat(pid int) ([]string, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, err
	}
	i := strings.LastIndexByte(string(raw), ')')
	if i < 0 {
		return nil, errors.New("malformed stat")
	}
	return strings.Fields(string(raw[i+1:])), nil
}

// process names one process for its lifetime: this machine reuses pids
// within seconds, so the pid alone could name a dead backend's successor.
type process struct {
	pid   int
	start string // starttime in /proc/<pid>/stat
}

// cpuOfChildren is the CPU time of each child of pid (PostgreSQL's
// backends).
func cpuOfChildren(pid int) map[process]time.Duration {
	entries, _ := os.ReadDir("/proc")
	out := make(map[process]time.Duration)
	parent := strconv.Itoa(pid)
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f, err := procStat(child); err == nil && len(f) > 19 && f[1] == parent {
			out[process{child, f[19]}] = ticks(f)
		}
	}
	return out
}

// used is the CPU the children spent between two snapshots (a backend that
// started in between counts from zero).
func used(before, after map[process]time.Duration) time.Duration {
	var d time.Duration
	for p, t := range after {
		d += t - before[p]
	}
	return d
}

// rss is the resident memory of pid, in bytes.
func rss(pid int) int64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
