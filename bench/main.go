// Command bench measures Shopfloor against PostGraphile 5 and against what
// PostgreSQL itself can do, on this machine, in one run (issue 19):
//
//	go run ./bench [-duration 5s] [-rounds 1] [-conns 16,64] [-out FILE]
//
// It loads the data set into a throwaway PostgreSQL and into SQLite,
// runs Shopfloor on each, PostGraphile (Node 22 and PostGraphile from npm,
// installed into -cache) and pgbench replaying the cheapest SQL that gives
// the same answers, drives them with wrk on loopback, and prints a markdown
// table. It removes everything it started when it ends.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// config is the command's flags.
type config struct {
	duration time.Duration
	rounds   int
	conns    []int
	out      string
	cache    string
	gogc     string
	binary   string
	profile  string
	ops      *regexp.Regexp
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	cache, _ := os.UserCacheDir()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&c.duration, "duration", 5*time.Second, "load per cell (whole seconds)")
	fs.IntVar(&c.rounds, "rounds", 1, "interleaved rounds; the table shows each cell's median")
	conns := fs.String("conns", "16,64", "connection counts, comma-separated")
	fs.StringVar(&c.out, "out", "", "also write the table to this file")
	fs.StringVar(&c.cache, "cache", filepath.Join(cache, "shopfloor-bench"), "where Node.js and PostGraphile are installed (npm ci)")
	fs.StringVar(&c.gogc, "gogc", "", "GOGC of the Shopfloor servers (default: theirs)")
	fs.StringVar(&c.binary, "shopfloor", "", "a shopfloor binary to measure (another version's, for before/after) instead of building this checkout's")
	ops := fs.String("ops", "", "measure only the operations whose names match this regular expression")
	fs.StringVar(&c.profile, "profile", "", "write a CPU profile and an allocation profile (pprof) of each Shopfloor cell, and the PostgreSQL statements of each Shopfloor PG cell, into this directory")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if c.ops, err = regexp.Compile(*ops); err != nil {
		return nil, fmt.Errorf("bad -ops: %w", err)
	}
	for f := range strings.SplitSeq(*conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -conns %q", *conns)
		}
		c.conns = append(c.conns, n)
	}
	if c.duration < time.Second || c.rounds < 1 {
		return nil, errors.New("-duration must be at least 1s and -rounds at least 1")
	}
	return c, nil
}

// target is one server under test, or the raw-SQL limit.
type target struct {
	name  string
	proc  *server // nil for the raw-SQL limit
	pprof string  // Shopfloor's /debug/pprof/ base URL
	url   string
	token string
	data  *loaded
	// rows reads the measured organization's inventory (id, etag).
	rows func(ctx context.Context) ([]row, error)
}

func (t *target) pid() int {
	if t.proc == nil {
		return 0
	}
	return t.proc.cmd.Process.Pid
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	logf := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%4.0fs "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
	}
	if err := ensureWrk(logf); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "shopfloor-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	logf("starting PostgreSQL and loading the data set")
	var settings []string
	if cfg.profile != "" {
		settings = statementStats
	}
	pg, err := pgtest.Start(settings...)
	if err != nil {
		return fmt.Errorf("PostgreSQL: %w (install it with: apt-get install -y postgresql)", err)
	}
	defer pg.Remove()
	env, err := prepare(ctx, cfg, dir, pg, logf)
	if err != nil {
		return err
	}
	defer env.stop()

	// The RS256 limit is measured in each round next to the token
	// exchange's cells, so that both see the machine alike.
	var signs []float64
	results := make(map[cellKey][]measured)
	// Round 0 warms every server up (Node's JIT, connection pools, caches)
	// for warmUp per cell at the first connection count; it is not kept.
	for round := range cfg.rounds + 1 {
		for opIndex, op := range operations {
			if !cfg.ops.MatchString(op.name) {
				continue
			}
			if op.raw == nil && round > 0 {
				logf("round %d: RS256 signatures per second", round)
				signs = append(signs, rs256PerSecond(cfg.duration))
			}
			for _, conns := range cfg.conns {
				if round == 0 && conns != cfg.conns[0] {
					continue
				}
				for _, t := range env.targets {
					req, script, ok := op.requestFor(t)
					if !ok {
						continue
					}
					if op.writes && script == "" {
						if req.rows, err = t.rows(ctx); err != nil {
							return err
						}
					}
					d := cfg.duration
					if round == 0 {
						d = warmUp
					}
					logf("round %d: %s, %d connections, %s", round, op.name, conns, t.name)
					profile := ""
					if cfg.profile != "" && round > 0 && t.pprof != "" {
						profile = filepath.Join(cfg.profile, fmt.Sprintf("op%d-%d-%s.pprof", opIndex, conns, t.proc.name))
					}
					m, err := env.measure(ctx, t, req, script, conns, d, profile)
					if err != nil {
						return fmt.Errorf("%s on %s: %w", op.name, t.name, err)
					}
					if round > 0 {
						key := cellKey{op.name, conns, t.name}
						results[key] = append(results[key], m)
					}
				}
			}
		}
	}
	table := report(env, cfg, results, medianOf(signs))
	fmt.Fprint(stdout, table)
	if cfg.out != "" {
		return os.WriteFile(cfg.out, []byte(table), 0o644)
	}
	return nil
}

// medianOf is the median of xs, 0 for none.
func medianOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// requestFor is op's request (or pgbench script) for t; ok is false when t has
// no such operation.
func (op operation) requestFor(t *target) (request, string, bool) {
	switch {
	case t.proc == nil:
		if op.raw == nil {
			return request{}, "", false
		}
		return request{}, op.raw(t), true
	case t.name == namePostGraphile:
		if op.postgraphile == nil {
			return request{}, "", false
		}
		return op.postgraphile(t), "", true
	}
	return op.shopfloor(t), "", true
}

// ensureWrk installs Debian's wrk when it is missing.
func ensureWrk(logf func(string, ...any)) error {
	if _, err := exec.LookPath("wrk"); err == nil {
		return nil
	}
	logf("installing wrk (apt-get install -y wrk)")
	if out, err := exec.Command("apt-get", "install", "-y", "wrk").CombinedOutput(); err != nil {
		return fmt.Errorf("wrk is missing and apt-get install -y wrk failed: %v: %s", err, out)
	}
	return nil
}

// inventoryRows reads the (id, etag) of the generated inventory of the
// measured organization (untracked or lot-tracked, so any quantity fits).
func inventoryRows(ctx context.Context, db *sql.DB, data *loaded) ([]row, error) {
	rows, err := db.QueryContext(ctx, data.rebind("SELECT id, etag FROM part_inventories WHERE org_id = ? AND id >= ? AND deleted_at IS NULL ORDER BY id"),
		data.orgID, data.inventoryIDs[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.etag); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// warmUp is how long each cell runs before the measured rounds.
const warmUp = 2 * time.Second

// cellKey names one measured cell.
type cellKey struct {
	op     string
	conns  int
	target string
}

// measured is one cell's figures.
type measured struct {
	sample
	// serverCPU and pgCPU are CPU time per request.
	serverCPU, pgCPU time.Duration
	rss              int64 // the server's largest resident set under load
}

// median is the cell's run with the median throughput.
func median(ms []measured) measured {
	s := slices.Clone(ms)
	slices.SortFunc(s, func(a, b measured) int { return int(a.requests - b.requests) })
	return s[len(s)/2]
}

// openSQLite opens the benchmark's SQLite database read-only, beside the
// server that writes it.
func openSQLite(dir string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+filepath.Join(dir, "shopfloor.db")+"?mode=ro&_pragma=busy_timeout(10000)")
}
