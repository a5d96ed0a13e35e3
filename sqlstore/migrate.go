package sqlstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// migrate brings the schema to the latest version for the store's engine,
// and the catalog of permission groups to the code's.
func (s *Store) migrate(ctx context.Context) error {
	dir, err := fs.Sub(migrations, "migrations/"+s.dialect.name)
	if err != nil {
		return fmt.Errorf("sqlstore: migrations: %w", err)
	}
	var opts []goose.ProviderOption
	if s.dialect == postgresDialect {
		// Replicas starting together take turns: an advisory lock.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("sqlstore: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.goose, s.write, dir, opts...)
	if err != nil {
		return fmt.Errorf("sqlstore: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	s.migrations = p
	return s.syncPermissionGroups(ctx)
}

// MigrationsCurrent returns an error unless the database is reachable and
// its schema is the one this binary expects (a readiness check).
func (s *Store) MigrationsCurrent(ctx context.Context) error {
	pending, err := s.migrations.HasPending(ctx)
	if err != nil {
		return err
	}
	if pending {
		return errors.New("sqlstore: migrations pending")
	}
	return nil
}
