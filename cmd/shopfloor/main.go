// Command shopfloor runs Shopfloor, an ION-compatible manufacturing GraphQL
// API, and its tools.
//
//	shopfloor serve [--addr HOST:PORT] [--data DIR] [--database-url URL] [--no-demo]
//	shopfloor token [--data DIR | --database-url URL] --email EMAIL [--ttl DURATION] [--scope SCOPES]
//	shopfloor org create|set, user create|set, key create, keys rotate|list (operator tools)
//	shopfloor role create|grant|attach-user, team create|add-user|attach-role (as a person)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "shopfloor:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  shopfloor serve [--addr HOST:PORT] [--data DIR] [--database-url URL] [--public-url URL] [--no-demo]
  shopfloor token [--data DIR | --database-url URL] --email EMAIL [--ttl DURATION] [--scope SCOPES]
  shopfloor org create --name NAME --domain DOMAIN
  shopfloor org set --domain DOMAIN [--state ACTIVE|BLOCKED|READ_ONLY] [--read-only-schema=BOOL]
                    [--login-domains D1,D2] [--feature NAME=on|off]...
  shopfloor user create --org DOMAIN --email EMAIL [--name NAME] [--role ROLE]
  shopfloor user set --email EMAIL --active=BOOL
  shopfloor key create --email EMAIL
  shopfloor keys rotate [--keep 24h]
  shopfloor keys list
  shopfloor role create --as EMAIL --name ROLE
  shopfloor role grant --as EMAIL --name ROLE --permission GROUP
  shopfloor role attach-user --as EMAIL --name ROLE --email EMAIL
  shopfloor team create --as EMAIL --name TEAM [--supervisor EMAIL]
  shopfloor team add-user --as EMAIL --name TEAM --email EMAIL
  shopfloor team attach-role --as EMAIL --name TEAM --role ROLE
  (each takes --data DIR or --database-url URL)
`

// run is the whole program, with its environment passed in so that tests
// run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, getenv, stdout, stderr)
	case "token":
		return token(ctx, rest, getenv, stdout, stderr)
	case "org":
		return org(ctx, rest, getenv, stdout, stderr)
	case "user":
		return user(ctx, rest, getenv, stdout, stderr)
	case "key":
		return key(ctx, rest, getenv, stdout, stderr)
	case "keys":
		return keys(ctx, rest, getenv, stdout, stderr)
	case "role":
		return role(ctx, rest, getenv, stdout, stderr)
	case "team":
		return team(ctx, rest, getenv, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// envOr returns the environment's value for key, or def.
func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
