package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/shopfloor-dev/shopfloor/auth"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// defaultKeep is how long a rotation keeps retired signing keys: well above
// the default token lifetime (1h), so no token outlives its key.
const defaultKeep = 24 * time.Hour

// keys runs `shopfloor keys rotate|list`: the realm's signing keys.
func keys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, open, err := subcommand("keys", args, getenv, stderr)
	if err != nil {
		return err
	}
	switch args[0] {
	case "rotate":
		keep := fs.Duration("keep", defaultKeep, "delete the keys retired longer ago than this (revoking what they signed)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *keep < 0 {
			return errors.New("keys rotate: --keep must not be negative")
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			kid, err := auth.Rotate(ctx, store, time.Now(), *keep)
			if err == nil {
				fmt.Fprintln(stdout, kid)
			}
			return err
		})
	case "list":
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			stored, err := store.SigningKeys(ctx)
			if err != nil {
				return err
			}
			for _, k := range stored {
				retired := "live"
				if k.RetiredAt != nil {
					retired = "retired " + k.RetiredAt.UTC().Format(time.RFC3339)
				}
				fmt.Fprintf(stdout, "%s created %s %s\n", k.KID, k.CreatedAt.UTC().Format(time.RFC3339), retired)
			}
			return nil
		})
	}
	return fmt.Errorf("keys: unknown command %q", args[0])
}
