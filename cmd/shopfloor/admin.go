package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// storeFlags adds the flags that choose the store to fs and returns a
// function that opens it.
func storeFlags(fs *flag.FlagSet, getenv func(string) string) func(context.Context) (*sqlstore.Store, error) {
	data := fs.String("data", envOr(getenv, "SHOPFLOOR_DATA", "./shopfloor-data"), "data directory of the embedded database")
	databaseURL := fs.String("database-url", getenv("SHOPFLOOR_DATABASE_URL"), "PostgreSQL URL (postgres://...) instead of the embedded database")
	return func(ctx context.Context) (*sqlstore.Store, error) { return openStore(ctx, *databaseURL, *data) }
}

// featureFlags collects repeated --feature NAME=on|off.
type featureFlags map[shopfloor.Feature]bool

func (f featureFlags) String() string { return fmt.Sprint(map[shopfloor.Feature]bool(f)) }

func (f featureFlags) Set(v string) error {
	name, state, ok := strings.Cut(v, "=")
	feature, err := shopfloor.ParseFeature(name)
	if err != nil || !ok || (state != "on" && state != "off") {
		return fmt.Errorf("want NAME=on|off with NAME one of %v", featureNames())
	}
	f[feature] = state == "on"
	return nil
}

func featureNames() []string {
	var out []string
	for f := range shopfloor.Features {
		out = append(out, string(f))
	}
	return out
}

// subcommand starts `shopfloor GROUP SUB`: the flag set of SUB, with the
// flags that choose the store.
func subcommand(group string, args []string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, func(context.Context) (*sqlstore.Store, error), error) {
	if len(args) == 0 {
		printCommands(stderr, group)
		return nil, nil, fmt.Errorf("%s: want a command (see shopfloor help)", group)
	}
	if isHelp(args[0]) {
		printCommands(stderr, group) // stdout, as run passes it for help
		return nil, nil, flag.ErrHelp
	}
	fs := flag.NewFlagSet(group+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, storeFlags(fs, getenv), nil
}

// isSet reports whether the flag name was given.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// org runs `shopfloor org create|set`: the operator's settings of an
// organization (its state, read-only schema, login domains, feature flags).
func org(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, open, err := subcommand("org", args, getenv, stderr)
	if err != nil {
		return err
	}
	domain := fs.String("domain", "", "the organization's primary domain")
	switch args[0] {
	case "create":
		name := fs.String("name", "", "the organization's name")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *name == "" || *domain == "" {
			return errors.New("org create: --name and --domain are required")
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			o, err := store.CreateOrganization(ctx, *name, *domain)
			if err == nil {
				fmt.Fprintf(stdout, "organization %d %s\n", o.ID, o.Domain)
			}
			return err
		})
	case "set":
		var set sqlstore.OrgSettings
		state := fs.String("state", "", "ACTIVE, BLOCKED or READ_ONLY")
		readOnlySchema := fs.Bool("read-only-schema", false, "flag the organization's schema read-only")
		loginDomains := fs.String("login-domains", "", "comma-separated email domains its people may sign in with")
		features := featureFlags{}
		fs.Var(features, "feature", "NAME=on|off, repeatable")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *domain == "" {
			return errors.New("org set: --domain is required")
		}
		if isSet(fs, "state") {
			set.State = state
		}
		if isSet(fs, "read-only-schema") {
			set.ReadOnlySchema = readOnlySchema
		}
		if isSet(fs, "login-domains") {
			set.LoginDomains = strings.Split(*loginDomains, ",")
		}
		set.Features = features
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			o, err := store.OrganizationByDomain(ctx, *domain)
			if err != nil {
				return err
			}
			return store.SetOrgSettings(ctx, o.ID, set)
		})
	}
	return fmt.Errorf("org: unknown command %q", args[0])
}

// user runs `shopfloor user create|set`: people and whether they are active.
func user(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, open, err := subcommand("user", args, getenv, stderr)
	if err != nil {
		return err
	}
	email := fs.String("email", "", "the user's email")
	password := fs.String("password", "", "the password they sign in to OAuth apps with (at least 8 characters)")
	switch args[0] {
	case "create":
		orgDomain := fs.String("org", "", "the primary domain of the user's organization")
		name := fs.String("name", "", "the user's name")
		role := fs.String("role", shopfloor.RoleReadOnly, "the user's role (empty: none)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *email == "" || *orgDomain == "" {
			return errors.New("user create: --email and --org are required")
		}
		hash, err := passwordHash(*password)
		if err != nil {
			return err
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			o, err := store.OrganizationByDomain(ctx, *orgDomain)
			if err != nil {
				return err
			}
			var roles []string
			if *role != "" {
				roles = append(roles, *role)
			}
			u, err := store.CreateUser(ctx, o.ID, *email, cmp.Or(*name, *email), roles...)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "user %d %s\n", u.ID, u.Email)
			if hash == "" {
				return nil
			}
			return store.SetPasswordHash(ctx, u.ID, hash)
		})
	case "set":
		active := fs.Bool("active", true, "activate (true) or deactivate (false): deactivating disables the user's API keys")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *email == "" || !isSet(fs, "active") && *password == "" {
			return errors.New("user set: --email and --active or --password are required")
		}
		hash, err := passwordHash(*password)
		if err != nil {
			return err
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			u, err := store.UserByEmail(ctx, *email)
			if err != nil {
				return err
			}
			if hash != "" {
				if err := store.SetPasswordHash(ctx, u.ID, hash); err != nil {
					return err
				}
			}
			if !isSet(fs, "active") {
				return nil
			}
			return store.SetUserActive(ctx, u.ID, *active)
		})
	}
	return fmt.Errorf("user: unknown command %q", args[0])
}

// key runs `shopfloor key create --email E`: an API key made by that
// person, printed as JSON (the only time its secret is shown).
func key(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, open, err := subcommand("key", args, getenv, stderr)
	if err != nil {
		return err
	}
	if args[0] != "create" {
		return fmt.Errorf("key: unknown command %q", args[0])
	}
	email := fs.String("email", "", "email of the person who makes the key")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	return withStore(ctx, open, func(store *sqlstore.Store) error {
		u, err := store.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		k, err := store.CreateAPIKey(ctx, u.OrgID, u.ID)
		if err != nil {
			return err
		}
		return json.NewEncoder(stdout).Encode(map[string]string{"client_id": k.ClientID, "client_secret": k.ClientSecret})
	})
}

// passwordHash hashes a password given on the command line; none is "".
func passwordHash(password string) (string, error) {
	if password == "" {
		return "", nil
	}
	return auth.HashPassword(password)
}

func withStore(ctx context.Context, open func(context.Context) (*sqlstore.Store, error), fn func(*sqlstore.Store) error) error {
	store, err := open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(store)
}
