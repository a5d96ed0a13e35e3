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
	"strings"
	"time"

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
	noDemo, faults                                               bool
	faultRate                                                    float64
	signInAttempts                                               int
	tokenTTL, refreshTTL, keyRefresh, requestTimeout, drainDelay time.Duration
	idempotencyTTL, statementTimeout                             time.Duration
	limits                                                       graph.Limits
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
	if err := fs.Parse(args); err != nil {
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

	store, err := openStore(ctx, f.databaseURL, f.data)
	if err != nil {
		return err
	}
	defer store.Close()
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
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	base := strings.TrimSuffix(f.publicURL, "/")
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	issuer, err := newIssuer(ctx, store, base, f.audience)
	if err != nil {
		return err
	}
	issuer.Keys.Refresh = f.keyRefresh
	if err := seedIfNew(ctx, store, f.data, base, f.noDemo); err != nil {
		return err
	}
	opts := graph.Options{Limits: f.limits, Timeout: f.requestTimeout, RealmURL: issuer.URL}
	if f.faults {
		opts.Faults = &graph.Faults{Rate: f.faultRate}
	}
	authn := &auth.Authenticator{Issuer: issuer, Store: store, Grants: store, Logger: logger, TokenTTL: f.tokenTTL, RefreshTTL: f.refreshTTL,
		Attempts: f.limits.Limiter, AttemptLimit: ratelimit.Limit{Rate: f.signInAttempts, Period: 10 * time.Minute, Burst: f.signInAttempts}}
	if f.oidcIssuer != "" {
		authn.External = auth.NewExternal(f.oidcIssuer, cmp.Or(f.oidcAudience, f.audience), store, logger)
	}
	srv := server.New(server.Config{
		Store:   store,
		Auth:    authn,
		GraphQL: opts,
		Ready:   ready,
		Metrics: metrics.New(store.ReadDB()),
		Logger:  logger,

		IdempotencyTTL: f.idempotencyTTL,
	})
	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	if err := banner(ctx, stdout, store, issuer, base, f.data); err != nil {
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
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

// openStore opens PostgreSQL when a database URL is given, and the embedded
// SQLite database in dir otherwise.
func openStore(ctx context.Context, databaseURL, dir string) (*sqlstore.Store, error) {
	if databaseURL != "" {
		return sqlstore.Open(ctx, databaseURL)
	}
	return sqlstore.OpenSQLite(ctx, dir)
}

// seedIfNew seeds the demo data set into a data directory with no
// organization, and writes its credentials beside the database.
func seedIfNew(ctx context.Context, store *sqlstore.Store, dir, base string, noDemo bool) error {
	if noDemo {
		return nil
	}
	has, err := store.HasOrganizations(ctx)
	if err != nil || has {
		return err
	}
	orgs, err := demo.Seed(ctx, store)
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

// banner tells a new user where everything is, and gives a working token
// and curl when the demo data set is there.
func banner(ctx context.Context, w io.Writer, store *sqlstore.Store, issuer *auth.Issuer, base, dir string) error {
	fmt.Fprintf(w, "Shopfloor is serving.\n  GraphQL:    %s/graphql\n  Playground: %s/playground\n  Token URL:  %s\n",
		base, base, tokenURL(base))
	raw, err := os.ReadFile(filepath.Join(dir, CredentialsFile))
	if errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(w, "\nMake a token with: shopfloor token --data %s --email EMAIL\n", dir)
		return nil
	} else if err != nil {
		return err
	}
	var creds demo.Credentials
	if err := json.Unmarshal(raw, &creds); err != nil || len(creds.Orgs) == 0 {
		return fmt.Errorf("serve: %s is not valid demo credentials", CredentialsFile)
	}
	org := creds.Orgs[0]
	tok, err := mintFor(ctx, store, issuer, org.Users[0].Email, "", 24*time.Hour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  Demo credentials: %s\n\nA token for %s (%s, valid 24h), and a query to try:\n", filepath.Join(dir, CredentialsFile), org.Users[0].Email, org.Users[0].Role)
	fmt.Fprintf(w, "  export TOKEN=%s\n", tok)
	fmt.Fprintf(w, "  curl -s %s/graphql -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n    -d '{\"query\":\"{ me { email organization { name } } parts(first: 3) { edges { node { id partNumber quantity } } pageInfo { totalCount } } }\"}'\n", base)
	key := org.APIKeys[0]
	fmt.Fprintf(w, "Exchange an API key for a token:\n  curl -s %s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s\n", tokenURL(base), key.ClientID, key.ClientSecret)
	return nil
}
