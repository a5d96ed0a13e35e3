package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// token prints a signed access token for a user: a developer's tool.
func token(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(stderr)
	open := storeFlags(fs, getenv)
	email := fs.String("email", "", "email of the user the token is for")
	ttl := fs.Duration("ttl", time.Hour, "lifetime of the token")
	publicURL := fs.String("public-url", envOr(getenv, "SHOPFLOOR_PUBLIC_URL", "http://127.0.0.1:8080"), "base URL of the server, for the token's issuer")
	audience := fs.String("audience", envOr(getenv, "SHOPFLOOR_AUDIENCE", auth.DefaultAudience), "the aud the server expects")
	scope := fs.String("scope", "", "scopes to grant (default: "+shopfloor.ScopeRead+" and "+shopfloor.ScopeWrite+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("token: --email is required")
	}
	if *ttl <= 0 {
		return errors.New("token: --ttl must be positive")
	}
	return withStore(ctx, open, func(store *sqlstore.Store) error {
		issuer, err := newIssuer(ctx, store, *publicURL, *audience)
		if err != nil {
			return err
		}
		tok, err := mintFor(ctx, store, issuer, *email, *scope, *ttl)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		return nil
	})
}

func newIssuer(ctx context.Context, store *sqlstore.Store, publicURL, audience string) (*auth.Issuer, error) {
	keys, err := auth.LoadKeys(ctx, store)
	if err != nil {
		return nil, err
	}
	return &auth.Issuer{Keys: keys, URL: auth.IssuerURL(publicURL), Audience: audience, Now: time.Now}, nil
}

// mintFor signs a token for the user with that email, with the scopes
// granted for scope.
func mintFor(ctx context.Context, store *sqlstore.Store, issuer *auth.Issuer, email, scope string, ttl time.Duration) (string, error) {
	user, err := store.UserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	id, err := store.Identity(ctx, user.ID, "")
	if err != nil {
		return "", err
	}
	return issuer.Mint(&id.Principal, shopfloor.GrantScopes(scope), ttl)
}
