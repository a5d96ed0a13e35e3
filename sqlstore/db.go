// Package sqlstore implements Shopfloor's store over database/sql, on
// embedded SQLite or on PostgreSQL (pgx): one body of SQL, with a small
// dialect for what differs. Every read and write is scoped by the
// organization of the principal in the context.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	"github.com/pressly/goose/v3"
	"github.com/shopfloor-dev/shopfloor"
)

// Store is the SQL implementation of shopfloor.Store.
type Store struct {
	// write is the only connection that writes (SQLite allows one writer;
	// a single connection with IMMEDIATE transactions avoids busy errors
	// and lost updates); read is a pool for queries.
	write, read *sql.DB
	dialect     *dialect
	migrations  *goose.Provider
	statements  atomic.Int64
	lastPrune   atomic.Int64 // Unix nanoseconds of the last prune of idempotency keys
	// Now is the store's clock.
	Now func() time.Time
	// StatementTimeout bounds every statement the store sends (0: no
	// bound): past it the engine stops it (PostgreSQL is sent a cancel
	// request, SQLite is interrupted) and the call fails with CodeTimeout.
	StatementTimeout time.Duration
}

var _ shopfloor.Store = (*Store)(nil)

// OpenSQLite opens (creating if needed) the SQLite database in dir and
// migrates it to the latest schema.
func OpenSQLite(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlstore: create data dir: %w", err)
	}
	path := filepath.Join(dir, "shopfloor.db")
	params := neturl.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		params.Add("_pragma", p)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+params.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	params.Set("_txlock", "immediate")
	write, err := sql.Open("sqlite", "file:"+path+"?"+params.Encode())
	if err != nil {
		read.Close()
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	write.SetMaxOpenConns(1)
	read.SetMaxOpenConns(8)
	return migrated(ctx, &Store{write: write, read: read, dialect: sqliteDialect, Now: time.Now})
}

// OpenPostgres connects to the PostgreSQL database at url (postgres://...)
// and migrates it to the latest schema. Replicas may share the database:
// etag checks and uniqueness are decided by it.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return migrated(ctx, &Store{write: db, read: db, dialect: postgresDialect, Now: time.Now})
}

// Open opens the store a URL names: postgres:// or postgresql:// for
// PostgreSQL; anything else is not a store this version knows.
func Open(ctx context.Context, url string) (*Store, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return OpenPostgres(ctx, url)
	}
	return nil, fmt.Errorf("sqlstore: unsupported database URL scheme in %q", redact(url))
}

// redact hides a URL's password.
func redact(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func migrated(ctx context.Context, s *Store) (*Store, error) {
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if s.read == s.write {
		return s.write.Close()
	}
	return errors.Join(s.write.Close(), s.read.Close())
}

// Statements is the number of SQL statements the store has sent so far.
func (s *Store) Statements() int64 { return s.statements.Load() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// ReadDB returns the pool that serves queries, for its statistics.
func (s *Store) ReadDB() *sql.DB { return s.read }

// DB returns the database handle that writes, for tests that must reach
// under the store (to break it, for instance).
func (s *Store) DB() *sql.DB { return s.write }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	ctx, cancel := s.statementContext(ctx)
	defer cancel()
	return q.ExecContext(ctx, s.dialect.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*rows, error) {
	ctx, cancel := s.statementContext(ctx)
	r, err := q.QueryContext(ctx, s.dialect.rebind(query), args...)
	if err != nil {
		cancel()
		return nil, err
	}
	return &rows{Rows: r, cancel: cancel}, nil
}

func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *row {
	ctx, cancel := s.statementContext(ctx)
	return &row{Row: q.QueryRowContext(ctx, s.dialect.rebind(query), args...), cancel: cancel}
}

// statementContext counts a statement and bounds it by StatementTimeout.
func (s *Store) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	s.statements.Add(1)
	if s.StatementTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.StatementTimeout)
}

// rows are a query's rows; its statement timeout ends when they close.
type rows struct {
	*sql.Rows
	cancel context.CancelFunc
}

func (r *rows) Close() error {
	defer r.cancel()
	return r.Rows.Close()
}

// row is a one-row query's result; its statement timeout ends with Scan.
type row struct {
	*sql.Row
	cancel context.CancelFunc
}

func (r *row) Scan(dest ...any) error {
	defer r.cancel()
	return r.Row.Scan(dest...)
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// newEtag returns a fresh etag: 32 lowercase hex characters, as ION's.
func newEtag() string { return randomHex(16) }

// classify turns a failure to reach the database into the contract's 503
// (retryable); other errors pass unchanged. The store's entry points defer it.
// A statement that ran past StatementTimeout is the contract's 504 class.
func (s *Store) classify(err *error) {
	switch {
	case *err == nil || shopfloor.ErrorCode(*err) != shopfloor.CodeInternal:
	case s.StatementTimeout > 0 && (errors.Is(*err, context.DeadlineExceeded) || s.dialect.isCancelled(*err)):
		*err = &shopfloor.Error{Code: shopfloor.CodeTimeout, Err: *err,
			Message: fmt.Sprintf("A database statement ran longer than %s and was cancelled; narrow the filters or the page.", s.StatementTimeout)}
	case s.dialect.isDown(*err):
		*err = &shopfloor.Error{Code: shopfloor.CodeUnavailable, Message: shopfloor.MsgUnavailable, Err: *err}
	}
}
