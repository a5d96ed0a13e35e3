package main

import (
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
	"github.com/shopfloor-dev/shopfloor/server"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// CredentialsFile is where the demo seed writes its credentials, in the data
// directory.
const CredentialsFile = "demo-credentials.json"

// serve runs the server until ctx ends, then drains it.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, "SHOPFLOOR_ADDR", "127.0.0.1:8080"), "address to listen on")
	data := fs.String("data", envOr(getenv, "SHOPFLOOR_DATA", "./shopfloor-data"), "data directory of the embedded database")
	databaseURL := fs.String("database-url", getenv("SHOPFLOOR_DATABASE_URL"), "PostgreSQL URL (postgres://...) instead of the embedded database")
	publicURL := fs.String("public-url", getenv("SHOPFLOOR_PUBLIC_URL"), "base URL clients reach the server at (default http://ADDR)")
	noDemo := fs.Bool("no-demo", false, "do not seed demo data into a new data directory")
	tokenTTL := fs.Duration("token-ttl", time.Hour, "lifetime of access tokens from the token endpoint")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))

	store, err := openStore(ctx, *databaseURL, *data)
	if err != nil {
		return err
	}
	defer store.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	base := strings.TrimSuffix(*publicURL, "/")
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	issuer, err := newIssuer(ctx, store, base)
	if err != nil {
		ln.Close()
		return err
	}
	if err := seedIfNew(ctx, store, *data, base, *noDemo); err != nil {
		ln.Close()
		return err
	}
	authn := &auth.Authenticator{Issuer: issuer, Store: store, Logger: logger, TokenTTL: *tokenTTL}
	srv := &http.Server{
		Handler:           server.New(store, store, authn, logger),
		ReadHeaderTimeout: 10 * time.Second,
	}
	if err := banner(ctx, stdout, store, issuer, base, *data); err != nil {
		ln.Close()
		return err
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	drain, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(drain); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
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
	creds := demo.Credentials{GraphQLURL: base + "/graphql", TokenURL: tokenURL(base), Orgs: orgs}
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
	return auth.IssuerURL(base) + "/protocol/openid-connect/token"
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
	tok, err := mintFor(ctx, store, issuer, org.Users[0].Email, 24*time.Hour)
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
