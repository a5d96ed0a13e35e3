package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds what differs between the SQL engines the store runs on. The
// store's SQL is written once, with ? placeholders.
type dialect struct {
	name  string
	goose goose.Dialect
	// numbered placeholders ($1, $2, ...) instead of ?
	numbered bool
	// unboundedLimit is what LIMIT takes for "no limit" ("" omits LIMIT).
	unboundedLimit string
	isUnique       func(error) bool
}

var sqliteDialect = &dialect{
	name:           "sqlite",
	goose:          goose.DialectSQLite3,
	unboundedLimit: "-1",
	isUnique: func(err error) bool {
		e, ok := errors.AsType[*sqlite.Error](err)
		return ok && e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	},
}

var postgresDialect = &dialect{
	name:     "postgres",
	goose:    goose.DialectPostgres,
	numbered: true,
	isUnique: func(err error) bool {
		e, ok := errors.AsType[*pgconn.PgError](err)
		return ok && e.Code == "23505" // unique_violation
	},
}

// rebind rewrites ? placeholders for engines that number them.
func (d *dialect) rebind(q string) string {
	if !d.numbered {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// limitOffset renders a LIMIT/OFFSET clause; limit < 0 means no limit.
func (d *dialect) limitOffset(limit, offset int) string {
	var b strings.Builder
	if limit >= 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(limit))
	} else if d.unboundedLimit != "" {
		b.WriteString(" LIMIT " + d.unboundedLimit)
	}
	if offset > 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(offset))
	}
	return b.String()
}
