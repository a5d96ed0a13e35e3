// Command shopfloor runs Shopfloor, an ION-compatible manufacturing GraphQL
// API, and its tools.
//
//	shopfloor serve [--addr HOST:PORT] [--data DIR] [--database-url URL] [--no-demo]
//	shopfloor token [--data DIR | --database-url URL] --email EMAIL [--ttl DURATION] [--scope SCOPES]
//	shopfloor org create|set, user create|set, key create, keys rotate|list (operator tools)
//	shopfloor role create|grant|attach-user, team create|add-user|attach-role (as a person)
//	shopfloor explain "<message or JSON payload>" (the error contract, offline)
//	shopfloor help, and COMMAND --help for a command's flags
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
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

// commands lists every command, one line each, as `shopfloor help` prints
// them.
var commands = []struct{ name, summary string }{
	{"serve", "serve the API (a new database gets the demo data unless --no-demo)"},
	{"token", "print a signed access token for a user"},
	{"org create", "create an organization"},
	{"org set", "set an organization's state, read-only schema, login domains, feature flags"},
	{"user create", "create a person in an organization"},
	{"user set", "activate or deactivate a person, or set their password"},
	{"key create", "make an API key for a person, printed once as JSON"},
	{"keys rotate", "add a signing key and retire the live ones"},
	{"keys list", "list the signing keys"},
	{"role create", "create a role, as a person of the organization (--as)"},
	{"role grant", "grant a role a permission group (--as)"},
	{"role attach-user", "give a person a role (--as)"},
	{"team create", "create a team (--as)"},
	{"team add-user", "add a person to a team (--as)"},
	{"team attach-role", "give a team's members a role (--as)"},
	{"explain", "say what the error contract says of an error message or payload (offline)"},
	{"help", "print this list"},
}

// printCommands prints the commands whose name starts with group (all of
// them for ""), one line each.
func printCommands(w io.Writer, group string) {
	fmt.Fprintln(w, "usage: shopfloor COMMAND [flags]; shopfloor COMMAND --help lists a command's flags.")
	fmt.Fprintln(w, "The operator commands take --data DIR or --database-url URL.")
	fmt.Fprintln(w)
	for _, c := range commands {
		if group == "" || strings.HasPrefix(c.name, group+" ") {
			fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
		}
	}
}

// isHelpFlag reports whether arg is a flag asking for help.
func isHelpFlag(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// isHelp reports whether a command's first argument asks for help.
func isHelp(arg string) bool { return arg == "help" || isHelpFlag(arg) }

// run is the whole program, with its environment passed in so that tests
// run it in-process. Asking for help (no arguments, help, -h, --help, or
// --help after a command) prints it on stdout and succeeds.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) {
		printCommands(stdout, "")
		return nil
	}
	cmd, rest := "serve", args // flags without a command serve, as they always did
	if args[0] != "" && args[0][0] != '-' {
		cmd, rest = args[0], args[1:]
	}
	if slices.ContainsFunc(rest, isHelpFlag) || len(rest) > 0 && rest[0] == "help" {
		stderr = stdout // the flags' usage is the answer, not a complaint
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, getenv, stdout, stderr)
	case "token":
		err = token(ctx, rest, getenv, stdout, stderr)
	case "org":
		err = org(ctx, rest, getenv, stdout, stderr)
	case "user":
		err = user(ctx, rest, getenv, stdout, stderr)
	case "key":
		err = key(ctx, rest, getenv, stdout, stderr)
	case "keys":
		err = keys(ctx, rest, getenv, stdout, stderr)
	case "role":
		err = role(ctx, rest, getenv, stdout, stderr)
	case "team":
		err = team(ctx, rest, getenv, stdout, stderr)
	case "explain":
		err = explain(ctx, rest, getenv, stdout, stderr)
	default:
		printCommands(stderr, "")
		return fmt.Errorf("unknown command %q", cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// envOr returns the environment's value for key, or def.
func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
