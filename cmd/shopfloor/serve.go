package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/demo"
	"github.com/shopfloor-dev/shopfloor/graph"
	"github.com/shopfloor-dev/shopfloor/metrics"
	"github.com/shopfloor-dev/shopfloor/ratelimit"
	"github.com/shopfloor-dev/shopfloor/server"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// CredentialsFile is where the demo seed writes its credentials, in the data
// directory.
const CredentialsFile = "demo-credentials.json"

// serveFlags are serve's settings.
type serveFlags struct {
	addr, data, databaseURL, publicURL, redisURL, audience       string
	oidcIssuer, oidcAudience                                     string
	tlsCert, tlsKey                                              string
	noDemo, faults, tls                                          bool
	faultRate                                                    float64
	signInAttempts, gogc, memoryLimitMiB                         int
	tokenTTL, refreshTTL, keyRefresh, requestTimeout, drainDelay time.Duration
	idempotencyTTL, statementTimeout                             time.Duration
	files                                                        fileFlags
	webhooks                                                     webhookFlags
	limits                                                       graph.Limits
	transport                                                    transportFlags
}

// transportFlags are serve's settings of the connection: read timeouts,
// the header limit, where /metrics is served, SQLite's durability.
type transportFlags struct {
	headerTimeout, bodyTimeout, bodyIdleTimeout time.Duration
	maxHeaderBytes                              int
	metricsAddr, pprofAddr                      string
	sqliteSynchronous                           string
}

func (t *transportFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.DurationVar(&t.headerTimeout, "header-timeout", 10*time.Second, "the request line and headers must arrive within this")
	fs.DurationVar(&t.bodyTimeout, "body-timeout", server.DefaultBodyTimeout, "the whole request body must arrive within this, from the end of the headers")
	fs.DurationVar(&t.bodyIdleTimeout, "body-idle-timeout", server.DefaultBodyIdleTimeout, "longest pause while the request body arrives")
	fs.IntVar(&t.maxHeaderBytes, "max-header-bytes", server.DefaultMaxHeaderBytes, "largest request line and headers, in bytes")
	fs.StringVar(&t.metricsAddr, "metrics-addr", getenv("SHOPFLOOR_METRICS_ADDR"), "serve /metrics on this address instead of on loopback connections to --addr")
	fs.StringVar(&t.pprofAddr, "pprof-addr", "", "serve Go's profiles (/debug/pprof/) on this address (default: not at all)")
	fs.StringVar(&t.sqliteSynchronous, "sqlite-synchronous", "normal", "embedded SQLite's durability: normal survives a crash of the process, full also a power loss")
}

func (t *transportFlags) check() error {
	if t.headerTimeout <= 0 || t.bodyTimeout <= 0 || t.bodyIdleTimeout <= 0 || t.maxHeaderBytes <= 0 {
		return errors.New("serve: --header-timeout, --body-timeout, --body-idle-timeout and --max-header-bytes must be positive")
	}
	if _, err := sqlstore.ParseSynchronous(t.sqliteSynchronous); err != nil {
		return fmt.Errorf("serve: --sqlite-synchronous: %w", err)
	}
	return nil
}

func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (*serveFlags, error) {
	f := &serveFlags{limits: graph.DefaultLimits}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", envOr(getenv, "SHOPFLOOR_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&f.data, "data", envOr(getenv, "SHOPFLOOR_DATA", "./shopfloor-data"), "data directory of the embedded database")
	fs.StringVar(&f.databaseURL, "database-url", getenv("SHOPFLOOR_DATABASE_URL"), "PostgreSQL URL (postgres://...) instead of the embedded database")
	fs.StringVar(&f.publicURL, "public-url", getenv("SHOPFLOOR_PUBLIC_URL"), "base URL clients reach the server at (default http://ADDR)")
	fs.StringVar(&f.audience, "audience", envOr(getenv, "SHOPFLOOR_AUDIENCE", auth.DefaultAudience), "the aud access tokens are minted for and must carry")
	fs.StringVar(&f.oidcIssuer, "oidc-issuer", getenv("SHOPFLOOR_OIDC_ISSUER"), "URL of an OpenID Connect issuer whose access tokens are accepted too (their email claim names the user)")
	fs.StringVar(&f.oidcAudience, "oidc-audience", getenv("SHOPFLOOR_OIDC_AUDIENCE"), "the aud the --oidc-issuer's tokens must carry (default: --audience)")
	fs.StringVar(&f.redisURL, "redis-url", getenv("SHOPFLOOR_REDIS_URL"), "Redis URL (redis://...) to share rate limits among replicas")
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS with a self-signed certificate for localhost, made in --data on first start")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate file (PEM; with --tls-key)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the private key file (PEM) of --tls-cert")
	fs.BoolVar(&f.noDemo, "no-demo", false, "do not seed demo data into a new database")
	fs.BoolVar(&f.faults, "faults", false, "sandbox: let requests ask for faults with the "+graph.FaultHeader+" header")
	fs.Float64Var(&f.faultRate, "fault-rate", 0, "sandbox, with --faults: share of requests that get a random retryable fault")
	fs.DurationVar(&f.tokenTTL, "token-ttl", time.Hour, "lifetime of access tokens from the token endpoint")
	fs.IntVar(&f.signInAttempts, "sign-in-attempts", 10, "sign-in attempts allowed per email every 10 minutes on the OAuth sign-in page (0: no limit)")
	fs.DurationVar(&f.refreshTTL, "refresh-ttl", 30*24*time.Hour, "lifetime of OAuth apps' refresh tokens (offline_access), renewed at each use")
	fs.DurationVar(&f.keyRefresh, "key-refresh", auth.DefaultKeyRefresh, "how often to re-read the signing keys, so that a rotation reaches every replica")
	fs.DurationVar(&f.requestTimeout, "request-timeout", graph.DefaultTimeout, "deadline of a GraphQL request")
	fs.DurationVar(&f.idempotencyTTL, "idempotency-ttl", server.DefaultIdempotencyTTL, "how long the answer to a request with an Idempotency-Key is kept for its retries (0: keys are ignored)")
	fs.DurationVar(&f.statementTimeout, "statement-timeout", 10*time.Second, "longest a database statement may run before the engine stops it (0: no bound)")
	fs.DurationVar(&f.drainDelay, "drain-delay", 0, "on SIGTERM, how long to report not-ready before refusing new connections")
	fs.IntVar(&f.limits.Org.Rate, "org-rate", f.limits.Org.Rate, "cost units an organization regains per second (0: no limit)")
	fs.IntVar(&f.limits.Org.Burst, "org-burst", f.limits.Org.Burst, "cost units an organization may spend at once")
	fs.IntVar(&f.limits.Key.Rate, "key-rate", f.limits.Key.Rate, "cost units an API key regains per second (0: no limit)")
	fs.IntVar(&f.limits.Key.Burst, "key-burst", f.limits.Key.Burst, "cost units an API key may spend at once")
	fs.IntVar(&f.limits.MaxCost, "max-cost", f.limits.MaxCost, "largest estimated cost of one operation")
	fs.IntVar(&f.limits.MaxDepth, "max-depth", f.limits.MaxDepth, "deepest selection of one operation")
	fs.IntVar(&f.limits.OrgConcurrency, "org-concurrency", f.limits.OrgConcurrency, "root fields an organization runs at once on this replica; the others wait (0: no bound)")
	fs.IntVar(&f.limits.MaxPageSize, "max-page-size", f.limits.MaxPageSize, "largest page; the page size of a list asked for without first or last")
	f.transport.register(fs, getenv)
	f.files.register(fs, getenv)
	f.webhooks.register(fs)
	fs.IntVar(&f.limits.MaxBatch, "max-batch", f.limits.MaxBatch, "most operations in one batched request (a JSON array of requests)")
	fs.IntVar(&f.gogc, "gogc", defaultGOGC, "the garbage collector's GOGC, unless the GOGC environment variable is set (-1: off)")
	fs.IntVar(&f.memoryLimitMiB, "memory-limit", defaultMemoryLimitMiB, "soft memory limit in MiB, near which the collector works harder, unless GOMEMLIMIT is set (0: none)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := f.transport.check(); err != nil {
		return nil, err
	}
	if err := f.files.check(); err != nil {
		return nil, err
	}
	if err := f.webhooks.check(); err != nil {
		return nil, err
	}
	if f.keyRefresh <= 0 {
		return nil, errors.New("serve: --key-refresh must be positive")
	}
	if f.faultRate < 0 || f.faultRate > 1 || (f.faultRate > 0 && !f.faults) {
		return nil, errors.New("serve: --fault-rate must be within 0..1 and needs --faults")
	}
	return f, nil
}

// serve runs the server until ctx ends, then drains it: readiness fails,
// and after the drain delay no new connection is taken while the requests
// in flight finish.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	applyGCPolicy(getenv, f.gogc, f.memoryLimitMiB)

	synchronous, _ := sqlstore.ParseSynchronous(f.transport.sqliteSynchronous) // checked with the flags
	store, err := openStoreSynchronous(ctx, f.databaseURL, f.data, synchronous)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Optimize(ctx); err != nil {
		return err
	}
	maintaining, stopMaintaining := context.WithCancel(ctx)
	var maintained sync.WaitGroup
	maintained.Go(func() { every(maintaining, optimizeInterval, "optimize", store.Optimize, logger) })
	maintained.Go(func() { every(maintaining, compactInterval, "compact live counts", store.CompactLiveCounts, logger) })
	defer func() { stopMaintaining(); maintained.Wait() }() // before the store closes
	store.StatementTimeout = f.statementTimeout
	ready := []server.Check{{Name: "database", Check: store.Ping}, {Name: "migrations", Check: store.MigrationsCurrent}}
	f.limits.Limiter = ratelimit.NewMemory()
	if f.redisURL != "" {
		rdb, err := ratelimit.NewRedis(f.redisURL)
		if err != nil {
			return err
		}
		defer rdb.Close()
		f.limits.Limiter = rdb
		ready = append(ready, server.Check{Name: "redis", Check: rdb.Ping})
	}
	certFile, keyFile, err := f.tlsFiles()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	base := strings.TrimSuffix(f.publicURL, "/")
	if base == "" && certFile != "" {
		base = "https://" + ln.Addr().String()
	} else if base == "" {
		base = "http://" + ln.Addr().String()
	}
	issuer, err := newIssuer(ctx, store, base, f.audience)
	if err != nil {
		return err
	}
	issuer.Keys.Refresh = f.keyRefresh
	files, err := openFiles(ctx, f.files, f.data, base, store, logger)
	if err != nil {
		return err
	}
	defer files.Bucket.Close()
	if err := seedIfNew(ctx, store, files.Bucket, f.data, base, f.noDemo); err != nil {
		return err
	}
	stopWebhooks := startWebhooks(ctx, f.webhooks, store, logger)
	defer stopWebhooks() // before the store closes
	opts := graph.Options{Limits: f.limits, Timeout: f.requestTimeout, RealmURL: issuer.URL, Files: files.URLs, Bucket: files.Bucket.Name}
	if f.faults {
		opts.Faults = &graph.Faults{Rate: f.faultRate}
	}
	authn := &auth.Authenticator{Issuer: issuer, Store: store, Grants: store, Logger: logger, TokenTTL: f.tokenTTL, RefreshTTL: f.refreshTTL,
		Attempts: f.limits.Limiter, AttemptLimit: ratelimit.Limit{Rate: f.signInAttempts, Period: 10 * time.Minute, Burst: f.signInAttempts}}
	if f.oidcIssuer != "" {
		authn.External = auth.NewExternal(f.oidcIssuer, cmp.Or(f.oidcAudience, f.audience), store, logger)
	}
	m := metrics.New(store.ReadDB(), store.Pool())
	srv := server.New(server.Config{
		Store:   store,
		Auth:    authn,
		GraphQL: opts,
		Ready:   ready,
		Metrics: m,
		Logger:  logger,
		Origins: store,
		Transport: server.Transport{BodyTimeout: f.transport.bodyTimeout, BodyIdleTimeout: f.transport.bodyIdleTimeout, MaxHeaderBytes: f.transport.maxHeaderBytes, MetricsElsewhere: f.transport.metricsAddr != "",
			UploadTimeout: f.files.uploadTimeout},
		Files: files,

		IdempotencyTTL: f.idempotencyTTL,
	})
	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: f.transport.headerTimeout, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: server.ReadHeaderBytes(f.transport.maxHeaderBytes)}
	errc := make(chan error, 3)
	var metricsServer *http.Server
	metricsURL := base + "/metrics (loopback connections only)"
	if f.transport.metricsAddr != "" {
		mln, err := net.Listen("tcp", f.transport.metricsAddr)
		if err != nil {
			return fmt.Errorf("serve: --metrics-addr: %w", err)
		}
		metricsURL = "http://" + mln.Addr().String() + "/metrics"
		metricsServer = &http.Server{Handler: m.Handler(), ReadHeaderTimeout: f.transport.headerTimeout}
		go func() { errc <- metricsServer.Serve(mln) }()
		defer metricsServer.Close()
	}
	if f.transport.pprofAddr != "" {
		stop, err := servePprof(f.transport.pprofAddr, f.transport.headerTimeout, errc)
		if err != nil {
			return err
		}
		defer stop()
	}
	if err := banner(ctx, stdout, store, issuer, bannerInfo{base: base, metricsURL: metricsURL, dir: f.data, databaseURL: f.databaseURL, ttl: f.tokenTTL, certFile: certFile}); err != nil {
		return err
	}

	go func() {
		if certFile != "" {
			errc <- httpServer.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- httpServer.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("draining", "delay", f.drainDelay.String())
	srv.Drain()
	time.Sleep(f.drainDelay)
	shutdown, cancel := context.WithTimeout(context.Background(), f.requestTimeout+5*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdown); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// optimizeInterval is how often a server has the store refresh its planner's
// statistics, so that they follow a growing database.
const optimizeInterval = time.Hour

// compactInterval is how often a server folds the rows that writes append
// to the store's live counts, so that a count sums few of them.
const compactInterval = time.Second

// every runs the store's task every interval until ctx ends, logging its
// failures under name.
func every(ctx context.Context, interval time.Duration, name string, task func(context.Context) error, logger *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := task(ctx); err != nil && ctx.Err() == nil {
				logger.Error(name, "error", err.Error())
			}
		}
	}
}

// The collector's policy: a request allocates much and keeps little, so a
// GOGC of 400 trades a few times the (small) live heap for far fewer
// collections; the soft memory limit makes the collector work harder, rather
// than the heap grow, when memory gets short.
const (
	defaultGOGC           = 400
	defaultMemoryLimitMiB = 1024
)

// applyGCPolicy sets the collector's pace and memory limit, unless the
// environment's GOGC and GOMEMLIMIT already do (the Go runtime reads them).
func applyGCPolicy(getenv func(string) string, gogc, memoryLimitMiB int) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gogc)
	}
	if getenv("GOMEMLIMIT") == "" && memoryLimitMiB > 0 {
		debug.SetMemoryLimit(int64(memoryLimitMiB) << 20)
	}
}

// openStore opens PostgreSQL when a database URL is given, and the embedded
// SQLite database in dir otherwise.
func openStore(ctx context.Context, databaseURL, dir string) (*sqlstore.Store, error) {
	return openStoreSynchronous(ctx, databaseURL, dir, sqlstore.SyncNormal)
}

// openStoreSynchronous is openStore with SQLite's synchronous setting.
func openStoreSynchronous(ctx context.Context, databaseURL, dir string, synchronous sqlstore.Synchronous) (*sqlstore.Store, error) {
	if databaseURL != "" {
		return sqlstore.Open(ctx, databaseURL)
	}
	return sqlstore.OpenSQLiteSynchronous(ctx, dir, synchronous)
}

// seedIfNew seeds the demo data set into a data directory with no
// organization, and writes its credentials beside the database.
func seedIfNew(ctx context.Context, store *sqlstore.Store, files demo.Blobs, dir, base string, noDemo bool) error {
	if noDemo {
		return nil
	}
	has, err := store.HasOrganizations(ctx)
	if err != nil || has {
		return err
	}
	orgs, err := demo.Seed(ctx, store, files)
	if err != nil {
		return err
	}
	creds := demo.Credentials{GraphQLURL: base + "/graphql", TokenURL: tokenURL(base), AuthorizationURL: auth.IssuerURL(base) + auth.AuthPath, Orgs: orgs}
	b, err := json.MarshalIndent(creds, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, CredentialsFile), append(b, '\n'), 0o600)
}

func tokenURL(base string) string {
	return auth.IssuerURL(base) + auth.TokenPath
}

// bannerInfo is what the banner tells besides the store's contents.
type bannerInfo struct {
	base, metricsURL, dir, databaseURL string
	ttl                                time.Duration // of the demo token, as of the token endpoint's
	certFile                           string        // the TLS certificate clients should trust; "" for plain HTTP
}

// storeArgs are the flags that point a command at this server's store (the
// URL is not printed: it may hold a password).
func (b bannerInfo) storeArgs() string {
	if b.databaseURL != "" {
		return "--database-url URL"
	}
	return "--data " + b.dir
}

// banner tells a new user where everything is, and gives a working token
// and curl when the demo data set is there; without it, the commands that
// make a first organization, person and key.
func banner(ctx context.Context, w io.Writer, store *sqlstore.Store, issuer *auth.Issuer, b bannerInfo) error {
	base := b.base
	fmt.Fprintf(w, "Shopfloor is serving.\n  GraphQL:    %s/graphql\n  Playground: %s/playground\n  Token URL:  %s\n  Metrics:    %s\n",
		base, base, tokenURL(base), b.metricsURL)
	curl := "curl -s"
	if b.certFile != "" {
		certFile := b.certFile
		if abs, err := filepath.Abs(certFile); err == nil {
			certFile = abs
		}
		fmt.Fprintf(w, "  TLS certificate: %s\n  (trust it: export REQUESTS_CA_BUNDLE=%s SSL_CERT_FILE=%s; curl --cacert %s)\n", certFile, certFile, certFile, certFile)
		curl += " --cacert " + certFile
	}
	raw, err := os.ReadFile(filepath.Join(b.dir, CredentialsFile))
	if errors.Is(err, os.ErrNotExist) {
		return bannerWithoutDemo(ctx, w, store, b)
	} else if err != nil {
		return err
	}
	var creds demo.Credentials
	if err := json.Unmarshal(raw, &creds); err != nil || len(creds.Orgs) == 0 {
		return fmt.Errorf("serve: %s is not valid demo credentials", CredentialsFile)
	}
	org := creds.Orgs[0]
	tok, err := mintFor(ctx, store, issuer, org.Users[0].Email, "", b.ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  Demo credentials: %s\n\nA token for %s (%s, valid %s), and a query to try:\n", filepath.Join(b.dir, CredentialsFile), org.Users[0].Email, org.Users[0].Role, shortDuration(b.ttl))
	fmt.Fprintf(w, "  export TOKEN=%s\n", tok)
	fmt.Fprintf(w, "  %s %s/graphql -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n    -d '{\"query\":\"{ me { email organization { name } } parts(first: 3) { edges { node { id partNumber quantity } } pageInfo { totalCount } } }\"}'\n", curl, base)
	key := org.APIKeys[0]
	fmt.Fprintf(w, "Exchange an API key for a token (or sign in with it at %s/playground):\n  %s %s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s\n", base, curl, tokenURL(base), key.ClientID, key.ClientSecret)
	return nil
}

// bannerWithoutDemo tells how to get a token from a store without the demo
// data: from an existing person, or after making the first one.
func bannerWithoutDemo(ctx context.Context, w io.Writer, store *sqlstore.Store, b bannerInfo) error {
	has, err := store.HasOrganizations(ctx)
	if err != nil {
		return err
	}
	if !has {
		fmt.Fprintf(w, "\nThe database has no organization yet. Make one, its first admin and their API key, then a token:\n"+
			"  shopfloor org create %[1]s --name NAME --domain DOMAIN\n"+
			"  shopfloor user create %[1]s --org DOMAIN --email EMAIL --role %[2]s --password PASSWORD\n"+
			"  shopfloor key create %[1]s --email EMAIL\n"+
			"  shopfloor token %[1]s --email EMAIL\n", b.storeArgs(), shopfloor.RoleAdmin)
		return nil
	}
	fmt.Fprintf(w, "\nMake a token with: shopfloor token %s --email EMAIL\n", b.storeArgs())
	return nil
}

// shortDuration prints d without its zero minutes and seconds (1h, not
// 1h0m0s).
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
