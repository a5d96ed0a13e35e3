package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// changes collects the columns a write sets.
type changes struct {
	cols []string
	args []any
}

func (c *changes) set(col string, v any) {
	c.cols = append(c.cols, col)
	c.args = append(c.args, v)
}

// assignments is the SET list of an UPDATE: "a = ?, b = ?".
func (c *changes) assignments() string {
	sets := make([]string, len(c.cols))
	for i, col := range c.cols {
		sets[i] = col + " = ?"
	}
	return strings.Join(sets, ", ")
}

// setIf sets col when v is given.
func setIf[V any](c *changes, col string, v *V) {
	if v != nil {
		c.set(col, *v)
	}
}

// insert adds a row to the caller's org with fresh etag and audit columns
// and returns its id.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, tableName string, p *shopfloor.Principal, c changes) (int64, error) {
	now := s.Now().UTC()
	c.set("org_id", p.OrgID)
	c.set("etag", newEtag())
	c.set("created_at", now)
	c.set("updated_at", now)
	c.set("created_by_id", p.UserID)
	c.set("updated_by_id", p.UserID)
	q := "INSERT INTO " + tableName + " (" + strings.Join(c.cols, ", ") + ") VALUES (" + placeholders(len(c.cols)) + ") RETURNING id"
	id, _, err := s.writeOne(ctx, tx, p, tableName, "CREATE", q, c.args...)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: insert %s: %w", tableName, err)
	}
	return id, nil
}

// update writes c to one live row of the caller's org if, and only if, its
// etag still matches: the database decides, in one statement, so concurrent
// writers cannot both win. A missing row is not-found; a stale etag is the
// contract's 409. The etag is required.
func update[T any](ctx context.Context, s *Store, tx *sql.Tx, t *table[T], p *shopfloor.Principal, id int64, etag string, c changes) error {
	return write(ctx, s, tx, t, p, id, etag, c, "UPDATE")
}

// write is update and softDelete: action is the change's, for the outbox.
func write[T any](ctx context.Context, s *Store, tx *sql.Tx, t *table[T], p *shopfloor.Principal, id int64, etag string, c changes, action string) error {
	if etag == "" {
		return shopfloor.Errorf(shopfloor.CodeInvalid, "%s etag is required.", t.entity)
	}
	c.set("etag", newEtag())
	c.set("updated_at", s.Now().UTC())
	c.set("updated_by_id", p.UserID)
	q := "UPDATE " + t.name + " SET " + c.assignments() + " WHERE " + t.rowScope() + " AND etag = ? RETURNING id"
	_, found, err := s.writeOne(ctx, tx, p, t.name, action, q, append(c.args, id, p.OrgID, etag)...)
	if err != nil {
		return fmt.Errorf("sqlstore: update %s: %w", t.name, err)
	}
	if found {
		return nil
	}
	if err := exists(ctx, s, tx, t, p, id); err != nil {
		return err
	}
	return shopfloor.ErrEtagMismatch
}

// softDelete marks one row deleted, under the same etag rule as update.
func softDelete[T any](ctx context.Context, s *Store, tx *sql.Tx, t *table[T], p *shopfloor.Principal, id int64, etag string) error {
	var c changes
	c.set("deleted_at", s.Now().UTC())
	return write(ctx, s, tx, t, p, id, etag, c, "DELETE")
}

// exists returns not-found unless id is a live row of the caller's org.
func exists[T any](ctx context.Context, s *Store, q querier, t *table[T], p *shopfloor.Principal, id int64) error {
	var one int
	err := s.queryRow(ctx, q, "SELECT 1 FROM "+t.name+" WHERE "+t.rowScope(), id, p.OrgID).Scan(&one)
	if err == sql.ErrNoRows {
		return shopfloor.NotFound(t.entity, id)
	}
	if err != nil {
		return fmt.Errorf("sqlstore: find %s: %w", t.name, err)
	}
	return nil
}

// existsIf is exists for an optional reference: nil (not given) is fine.
func existsIf[T any](ctx context.Context, s *Store, q querier, t *table[T], p *shopfloor.Principal, id *int64) error {
	if id == nil {
		return nil
	}
	return exists(ctx, s, q, t, p, *id)
}

// mutate authorizes perm, runs fn in a write transaction and reads the
// written row back.
func mutate[T any](ctx context.Context, s *Store, t *table[T], perm shopfloor.Permission, fn func(tx *sql.Tx, p *shopfloor.Principal) (int64, error)) (_ *T, err error) {
	defer s.classify(&err)
	p, err := shopfloor.Authorize(ctx, perm)
	if err != nil {
		return nil, err
	}
	var v *T
	if err := s.inTx(ctx, func(tx *sql.Tx) error {
		id, err := fn(tx, p)
		if err != nil {
			return err
		}
		v, err = auditedRow(ctx, s, tx, t, p, perm, id)
		return err
	}); err != nil {
		return nil, err
	}
	return v, nil
}

// auditedRow audits the change of row id of t and reads the row back, the
// columns the request selects, in the change's transaction: on PostgreSQL
// in one statement (the audit as a data-modifying WITH).
func auditedRow[T any](ctx context.Context, s *Store, tx *sql.Tx, t *table[T], p *shopfloor.Principal, perm shopfloor.Permission, id int64) (*T, error) {
	if s.dialect.modifyingWith {
		q, args := s.auditInsert(p, perm, t.entity, id)
		return getCols(ctx, s, tx, t, t.selectList(ctx), "WITH audit AS ("+q+") ", args, p, id)
	}
	if err := s.audit(ctx, tx, p, perm, t.entity, id); err != nil {
		return nil, err
	}
	return getCols(ctx, s, tx, t, t.selectList(ctx), "", nil, p, id)
}

// link writes one relation between a row of t, its owner, and another row
// (a part's subtypes, a role's permission groups, a team's members): check
// validates the other row, then stmt runs with the owner's id and otherID.
// It is a change of the owner, so it takes the owner's etag, when given,
// and renews it.
func link[T any](ctx context.Context, s *Store, t *table[T], perm shopfloor.Permission, ownerID, otherID int64, etag string,
	check func(tx *sql.Tx, p *shopfloor.Principal) error, stmt string) (*T, error) {
	return mutate(ctx, s, t, perm, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := check(tx, p); err != nil {
			return 0, err
		}
		etag, err := etagOr(ctx, s, tx, t, p, ownerID, etag)
		if err != nil {
			return 0, err
		}
		if err := update(ctx, s, tx, t, p, ownerID, etag, changes{}); err != nil {
			return 0, err
		}
		_, err = s.exec(ctx, tx, stmt, ownerID, otherID)
		return ownerID, err
	})
}

// etagOr is etag, or when it is not given the current etag of row id of
// t: a change whose caller may leave the etag out still renews it.
func etagOr[T any](ctx context.Context, s *Store, tx *sql.Tx, t *table[T], p *shopfloor.Principal, id int64, etag string) (string, error) {
	if etag != "" {
		return etag, nil
	}
	err := s.queryRow(ctx, tx, "SELECT etag FROM "+t.name+" WHERE "+t.rowScope(), id, p.OrgID).Scan(&etag)
	if err == sql.ErrNoRows {
		return "", shopfloor.NotFound(t.entity, id)
	}
	return etag, err
}

// found is the check of a link whose other row only has to be a live row
// of t in the caller's org.
func found[T any](ctx context.Context, s *Store, t *table[T], id int64) func(*sql.Tx, *shopfloor.Principal) error {
	return func(tx *sql.Tx, p *shopfloor.Principal) error { return exists(ctx, s, tx, t, p, id) }
}

// audit records, in the change's own transaction, which principal (the
// user, and the API key when one was used) made a change.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, op shopfloor.Permission, entity string, id int64) error {
	q, args := s.auditInsert(p, op, entity, id)
	if _, err := s.exec(ctx, tx, q, args...); err != nil {
		return fmt.Errorf("sqlstore: audit: %w", err)
	}
	return nil
}

// auditInsert is the statement, with its arguments, that audits a change.
func (s *Store) auditInsert(p *shopfloor.Principal, op shopfloor.Permission, entity string, id int64) (string, []any) {
	var clientID *string
	if p.ClientID != "" {
		clientID = &p.ClientID
	}
	return "INSERT INTO audit_log (org_id, at, user_id, client_id, operation, entity, entity_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
		[]any{p.OrgID, s.Now().UTC(), p.UserID, clientID, string(op), entity, id}
}

// remove authorizes perm and soft-deletes one row after check passes.
func remove[T any](ctx context.Context, s *Store, t *table[T], perm shopfloor.Permission, id int64, etag string, check func(tx *sql.Tx, p *shopfloor.Principal) error) error {
	return removeThen(ctx, s, t, perm, id, etag, check, nil)
}

// removeThen is remove with a step after the soft delete, in its
// transaction (what the deleted row's owner derives from it).
func removeThen[T any](ctx context.Context, s *Store, t *table[T], perm shopfloor.Permission, id int64, etag string, check, then func(tx *sql.Tx, p *shopfloor.Principal) error) (err error) {
	defer s.classify(&err)
	p, err := shopfloor.Authorize(ctx, perm)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if check != nil {
			if err := check(tx, p); err != nil {
				return err
			}
		}
		if err := softDelete(ctx, s, tx, t, p, id, etag); err != nil {
			return err
		}
		if then != nil {
			if err := then(tx, p); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, p, perm, t.entity, id)
	})
}

// hasAny reports whether the query (SELECT 1 ... LIMIT 1) finds a row.
func (s *Store) hasAny(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := s.queryRow(ctx, q, query, args...).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sqlstore: check: %w", err)
	}
	return true, nil
}

func parseFloat(raw any) (float64, error) {
	switch v := raw.(type) {
	case float64:
		return v, nil
	case int64:
		return float64(v), nil
	case int:
		return float64(v), nil
	case json.Number:
		return v.Float64()
	case string:
		return strconv.ParseFloat(v, 64)
	}
	return 0, fmt.Errorf("not a number: %T", raw)
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// entityID is the SQL expression of the entityId of the row aliased alias of
// kind: ION's key for any entity that owns attachments and labels.
func entityID(kind, alias string) string { return entityIDOf(kind, alias+".id") }

// entityIDOf is the SQL expression of the entityId of the row of kind
// whose id is the SQL expression rowID.
func entityIDOf(kind, rowID string) string {
	return "(SELECT e.id FROM entities e WHERE e.kind = '" + kind + "' AND e.row_id = " + rowID + ")"
}

// registerEntity gives a new row of kind its entityId, from the one
// sequence every kind shares, so an entityId names one entity.
func (s *Store) registerEntity(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, kind string, rowID int64) error {
	if _, err := s.exec(ctx, tx, "INSERT INTO entities (org_id, kind, row_id) VALUES (?, ?, ?)", p.OrgID, kind, rowID); err != nil {
		return fmt.Errorf("sqlstore: register %s entity: %w", kind, err)
	}
	return nil
}
