package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// role runs `shopfloor role create|grant|attach-user`: roles, the
// permission groups they hold and the people they are granted to.
func role(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, act, err := actingCommand(ctx, "role", args, getenv, stderr)
	if err != nil {
		return err
	}
	name := fs.String("name", "", "the role's name")
	switch args[0] {
	case "create":
		return act(args[1:], []string{"name"}, func(ctx context.Context, store *sqlstore.Store) error {
			r, err := store.CreateRole(ctx, shopfloor.RoleFields{Name: name})
			if err == nil {
				fmt.Fprintf(stdout, "role %d %s\n", r.ID, r.Name)
			}
			return err
		})
	case "grant":
		permission := fs.String("permission", "", "a permission group's name, such as CreatePart")
		return act(args[1:], []string{"name", "permission"}, func(ctx context.Context, store *sqlstore.Store) error {
			group := byName(store.PermissionGroups, "permission group", *permission, func(g *shopfloor.PermissionGroup) int64 { return g.ID })
			return relate(ctx, store.AttachPermissionGroupToRole, roleNamed(store, *name), group)
		})
	case "attach-user":
		email := fs.String("email", "", "the email of the user who gets the role")
		return act(args[1:], []string{"name", "email"}, func(ctx context.Context, store *sqlstore.Store) error {
			return relate(ctx, store.AttachRoleToUser, roleNamed(store, *name), byEmail(store, *email))
		})
	}
	return fmt.Errorf("role: unknown command %q", args[0])
}

// team runs `shopfloor team create|add-user|attach-role`: teams, their
// members and the roles the members get through them.
func team(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, act, err := actingCommand(ctx, "team", args, getenv, stderr)
	if err != nil {
		return err
	}
	name := fs.String("name", "", "the team's name")
	switch args[0] {
	case "create":
		supervisor := fs.String("supervisor", "", "the email of the team's supervisor")
		return act(args[1:], []string{"name"}, func(ctx context.Context, store *sqlstore.Store) error {
			f := shopfloor.TeamFields{Name: name}
			if *supervisor != "" {
				id, err := byEmail(store, *supervisor)(ctx)
				if err != nil {
					return err
				}
				f.SupervisorID = &id
			}
			t, err := store.CreateTeam(ctx, f)
			if err == nil {
				fmt.Fprintf(stdout, "team %d %s\n", t.ID, t.Name)
			}
			return err
		})
	case "add-user":
		email := fs.String("email", "", "the email of the new member")
		return act(args[1:], []string{"name", "email"}, func(ctx context.Context, store *sqlstore.Store) error {
			return relate(ctx, store.AddUserToTeam, teamNamed(store, *name), byEmail(store, *email))
		})
	case "attach-role":
		roleName := fs.String("role", "", "the name of the role the members get")
		return act(args[1:], []string{"name", "role"}, func(ctx context.Context, store *sqlstore.Store) error {
			return relate(ctx, store.AttachRoleToTeam, teamNamed(store, *name), roleNamed(store, *roleName))
		})
	}
	return fmt.Errorf("team: unknown command %q", args[0])
}

// actingFunc parses a command's arguments, checks that the required flags
// (and --as) are given, and runs fn as the person --as names.
type actingFunc func(args, required []string, fn func(context.Context, *sqlstore.Store) error) error

// actingCommand starts `shopfloor GROUP SUB` for a change made as a person
// of the organization (--as EMAIL): their permissions apply, as through
// the API, and the audit log names them.
func actingCommand(ctx context.Context, group string, args []string, getenv func(string) string, stderr io.Writer) (*flag.FlagSet, actingFunc, error) {
	fs, open, err := subcommand(group, args, getenv, stderr)
	if err != nil {
		return nil, nil, err
	}
	as := fs.String("as", "", "the email of the person making the change")
	return fs, func(args, required []string, fn func(context.Context, *sqlstore.Store) error) error {
		if err := fs.Parse(args); err != nil {
			return err
		}
		var missing []string
		for _, name := range append([]string{"as"}, required...) {
			if fs.Lookup(name).Value.String() == "" {
				missing = append(missing, "--"+name)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: %s required", fs.Name(), strings.Join(missing, ", "))
		}
		return withStore(ctx, open, func(store *sqlstore.Store) error {
			u, err := store.UserByEmail(ctx, *as)
			if err != nil {
				return err
			}
			id, err := store.Identity(ctx, u.ID, "")
			if err != nil {
				return err
			}
			return fn(shopfloor.WithPrincipal(ctx, &id.Principal), store)
		})
	}, nil
}

// finder finds the id of one row, by its name or email.
type finder func(context.Context) (int64, error)

// byName finds the item of a list (roles, teams, permission groups) whose
// name is name.
func byName[T any](list func(context.Context, shopfloor.ListOptions) (*shopfloor.Page[T], error), kind, name string, id func(*T) int64) finder {
	return func(ctx context.Context) (int64, error) {
		page, err := list(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": name}}})
		if err != nil {
			return 0, err
		}
		if len(page.Items) == 0 {
			return 0, fmt.Errorf("no %s named %q", kind, name)
		}
		return id(&page.Items[0]), nil
	}
}

// roleNamed finds a role of the acting person's organization by name.
func roleNamed(store *sqlstore.Store, name string) finder {
	return byName(store.Roles, "role", name, func(r *shopfloor.Role) int64 { return r.ID })
}

// teamNamed finds a team of the acting person's organization by name.
func teamNamed(store *sqlstore.Store, name string) finder {
	return byName(store.Teams, "team", name, func(t *shopfloor.Team) int64 { return t.ID })
}

// byEmail finds a user by email.
func byEmail(store *sqlstore.Store, email string) finder {
	return func(ctx context.Context) (int64, error) {
		u, err := store.UserByEmail(ctx, email)
		if err != nil {
			return 0, err
		}
		return u.ID, nil
	}
}

// relate finds two rows, then links them with link (an attach or an add).
func relate[T any](ctx context.Context, link func(context.Context, int64, int64, string) (*T, error), a, b finder) error {
	aID, err := a(ctx)
	if err != nil {
		return err
	}
	bID, err := b(ctx)
	if err != nil {
		return err
	}
	_, err = link(ctx, aID, bID, "")
	return err
}
