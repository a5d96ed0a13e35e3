// Package sqlstore implements Shopfloor's store over database/sql, on
// embedded SQLite or on PostgreSQL (pgx, whose native interface serves the
// reads outside transactions): one body of SQL, with a small dialect for
// what differs. Every read and write is scoped by the
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
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/shopfloor-dev/shopfloor"
)

// Store is the SQL implementation of shopfloor.Store.
type Store struct {
	// write is the only connection that writes (SQLite allows one writer;
	// a single connection with IMMEDIATE transactions avoids busy errors
	// and lost updates); read is a pool for queries.
	write, read *sql.DB
	// pool is PostgreSQL's connection pool, under write and read: reads
	// outside transactions go to it directly, in pgx's native interface
	// (no driver.Value per column, no goroutine per statement context).
	pool       *pgxpool.Pool
	dialect    *dialect
	migrations *goose.Provider
	statements atomic.Int64
	// prepared holds the reader pool's prepared statements by SQL text,
	// on engines whose driver does not cache them (SQLite: parsing was a
	// fifth of a page's cost); at most maxPrepared, counted in nPrepared.
	prepared  sync.Map
	nPrepared atomic.Int64
	lastPrune atomic.Int64 // Unix nanoseconds of the last prune of idempotency keys
	// identities are the principals this replica loaded, valid while
	// their organization's auth_version is current.
	identities identityCache
	// Now is the store's clock.
	Now func() time.Time
	// StatementTimeout bounds every statement the store sends (0: no
	// bound): past it the engine stops it (PostgreSQL is sent a cancel
	// request, SQLite is interrupted) and the call fails with CodeTimeout.
	StatementTimeout time.Duration
	// RuleEvaluator, when set, runs the organization's enabled rules on
	// each change of their targets (evaluateRules); Shopfloor sets none.
	RuleEvaluator shopfloor.RuleEvaluator
}

var _ shopfloor.Store = (*Store)(nil)

// Synchronous is SQLite's synchronous setting: how far a committed
// transaction is durable.
type Synchronous string

const (
	// SyncNormal (the default): in WAL mode, a commit survives a crash of
	// the process but not a power loss or an OS crash, which may lose the
	// last commits (never corrupt the database).
	SyncNormal Synchronous = "NORMAL"
	// SyncFull: every commit is synced to disk, and survives a power loss,
	// at the cost of an fsync per write transaction.
	SyncFull Synchronous = "FULL"
)

// ParseSynchronous reads "normal" or "full" (in any case).
func ParseSynchronous(s string) (Synchronous, error) {
	switch v := Synchronous(strings.ToUpper(s)); v {
	case SyncNormal, SyncFull:
		return v, nil
	}
	return "", fmt.Errorf("want normal or full, not %q", s)
}

// OpenSQLite opens (creating if needed) the SQLite database in dir and
// migrates it to the latest schema, with synchronous=NORMAL.
func OpenSQLite(ctx context.Context, dir string) (*Store, error) {
	return OpenSQLiteSynchronous(ctx, dir, SyncNormal)
}

// OpenSQLiteSynchronous is OpenSQLite with the given synchronous setting.
func OpenSQLiteSynchronous(ctx context.Context, dir string, synchronous Synchronous) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("sqlstore: create data dir: %w", err)
	}
	path := filepath.Join(dir, "shopfloor.db")
	params := neturl.Values{}
	// Reads go through a memory map of the file and a 16 MiB page cache per
	// connection, rather than a read(2) per page into 2 MiB.
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(" + string(synchronous) + ")",
		"mmap_size(1073741824)", "cache_size(-16384)", "temp_store(MEMORY)"} {
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

// Optimize has SQLite gather the statistics its planner lacks, on the tables
// that need them (SQLite advises it at start and every few hours); on
// PostgreSQL, autovacuum does it. Without them SQLite may read an
// organization's every inventory row through the org_id index to find a
// page's parts' rows, rather than through part_id. Statistics are kept in
// the file and read by every connection.
func (s *Store) Optimize(ctx context.Context) error {
	if s.dialect != sqliteDialect {
		return nil
	}
	if _, err := s.write.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		return fmt.Errorf("sqlstore: optimize: %w", err)
	}
	return nil
}

// OpenPostgres connects to the PostgreSQL database at url (postgres://...)
// and migrates it to the latest schema. Replicas may share the database:
// etag checks and uniqueness are decided by it.
func OpenPostgres(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	cfg.MaxConns = 20
	cfg.MaxConnIdleTime = 5 * time.Minute
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	return migrated(ctx, &Store{write: db, read: db, pool: pool, dialect: postgresDialect, Now: time.Now})
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
	for _, st := range s.prepared.Range {
		st.(*sql.Stmt).Close()
	}
	if s.pool != nil {
		defer s.pool.Close()
	}
	if s.read == s.write {
		return s.write.Close()
	}
	return errors.Join(s.write.Close(), s.read.Close())
}

// Rebind renders a query written with ? placeholders in the engine's own,
// for programs that write SQL beside the store (the benchmark's loader).
func (s *Store) Rebind(query string) string { return s.dialect.rebind(query) }

// Statements is the number of SQL statements the store has sent so far.
func (s *Store) Statements() int64 { return s.statements.Load() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// ReadDB returns the pool that serves queries, for its statistics.
func (s *Store) ReadDB() *sql.DB { return s.read }

// Pool returns PostgreSQL's connection pool, for its statistics; nil on
// SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// DB returns the database handle that writes, for tests that must reach
// under the store (to break it, for instance).
func (s *Store) DB() *sql.DB { return s.write }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Every statement the store sends passes through exec, query or queryRow,
// which refuse text holding a NUL character before it reaches the database:
// PostgreSQL cannot store one and SQLite would, so both answer the same 422.

func (s *Store) exec(ctx context.Context, q querier, query string, args ...any) (sql.Result, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	if err := s.confirmBeforeWrite(ctx); err != nil {
		return nil, err
	}
	ctx, cancel := s.statementContext(ctx)
	defer cancel()
	return q.ExecContext(ctx, s.dialect.rebind(query), args...)
}

func (s *Store) query(ctx context.Context, q querier, query string, args ...any) (*rows, error) {
	if err := checkText(args); err != nil {
		return nil, err
	}
	ctx, cancel := s.statementContext(ctx)
	if c := s.owedCheck(ctx, q, query); c != nil {
		results, err := s.withCheck(ctx, c, query, args)
		if err != nil {
			cancel()
			return nil, err
		}
		r, err := results.Query()
		if err != nil {
			results.Close()
			cancel()
			return nil, err
		}
		return &rows{cursor: r, cancel: func() { results.Close(); cancel() }}, nil
	}
	if s.native(q) {
		r, err := s.pool.Query(ctx, s.dialect.rebind(query), args...)
		if err != nil {
			cancel()
			return nil, err
		}
		return &rows{cursor: r, cancel: cancel}, nil
	}
	var r *sql.Rows
	var err error
	if st := s.statement(ctx, q, query); st != nil {
		r, err = st.QueryContext(ctx, args...)
	} else {
		r, err = q.QueryContext(ctx, s.dialect.rebind(query), args...)
	}
	if err != nil {
		cancel()
		return nil, err
	}
	return &rows{cursor: r, cancel: cancel}, nil
}

func (s *Store) queryRow(ctx context.Context, q querier, query string, args ...any) *row {
	if err := checkText(args); err != nil {
		return &row{err: err, cancel: func() {}}
	}
	ctx, cancel := s.statementContext(ctx)
	if c := s.owedCheck(ctx, q, query); c != nil {
		results, err := s.withCheck(ctx, c, query, args)
		if err != nil {
			return &row{err: err, cancel: cancel}
		}
		return &row{row: results.QueryRow(), cancel: func() { results.Close(); cancel() }}
	}
	if s.native(q) {
		return &row{row: s.pool.QueryRow(ctx, s.dialect.rebind(query), args...), cancel: cancel}
	}
	if st := s.statement(ctx, q, query); st != nil {
		return &row{row: st.QueryRowContext(ctx, args...), cancel: cancel}
	}
	return &row{row: q.QueryRowContext(ctx, s.dialect.rebind(query), args...), cancel: cancel}
}

// native tells a read that goes to PostgreSQL's pool directly: one outside
// a transaction.
func (s *Store) native(q querier) bool {
	return s.pool != nil && q == querier(s.read)
}

// statementContext counts a statement and bounds it by StatementTimeout.
func (s *Store) statementContext(ctx context.Context) (context.Context, context.CancelFunc) {
	s.statements.Add(1)
	if s.StatementTimeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.StatementTimeout)
}

// rows are a query's rows, from database/sql or from pgx's pool; its
// statement timeout ends when they close.
type rows struct {
	cursor
	cancel context.CancelFunc
}

// cursor is what *sql.Rows and pgx.Rows have in common.
type cursor interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// columns are the result columns of rows of pgx's native interface; ok is
// false for database/sql's.
func (r *rows) columns() (_ []pgconn.FieldDescription, ok bool) {
	native, ok := r.cursor.(pgx.Rows)
	if !ok {
		return nil, false
	}
	return native.FieldDescriptions(), true
}

func (r *rows) Close() error {
	defer r.cancel()
	if native, ok := r.cursor.(pgx.Rows); ok {
		native.Close()
		return native.Err()
	}
	return r.cursor.(*sql.Rows).Close()
}

// row is a one-row query's result, or the refusal of its arguments; its
// statement timeout ends with Scan, which reports no row as sql.ErrNoRows
// from either interface.
type row struct {
	row    scanner
	err    error
	cancel context.CancelFunc
}

func (r *row) Scan(dest ...any) error {
	defer r.cancel()
	if r.err != nil {
		return r.err
	}
	err := r.row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}

// errNUL is the answer to text holding a NUL character, wherever it comes.
var errNUL = shopfloor.Errorf(shopfloor.CodeInvalid, "Text must not contain the NUL character (U+0000).")

// checkText refuses arguments holding a NUL character.
func checkText(args []any) error {
	for _, a := range args {
		if p, ok := a.(*string); ok && p != nil {
			a = *p
		}
		if s, ok := a.(string); ok && strings.IndexByte(s, 0) >= 0 {
			return errNUL
		}
	}
	return nil
}

// maxPrepared bounds the prepared statements kept: queries differ only by
// their IN lists' lengths beyond the common shapes.
const maxPrepared = 512

// statement returns the prepared statement of query on the reader pool,
// preparing it the first time, when the engine wants it; nil otherwise (in
// a transaction, on PostgreSQL, whose driver caches them itself, when the
// cache is full or preparing fails: the plain query then reports the error).
func (s *Store) statement(ctx context.Context, q querier, query string) *sql.Stmt {
	if !s.dialect.prepares || q != querier(s.read) {
		return nil
	}
	if st, ok := s.prepared.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if s.nPrepared.Load() >= maxPrepared {
		return nil
	}
	st, err := s.read.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := s.prepared.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	s.nPrepared.Add(1)
	return st
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.confirmBeforeWrite(ctx); err != nil {
		return err
	}
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
