package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/shopfloor-dev/shopfloor"
)

// A request admitted from a kept identity need not pay a round trip of its
// own for the check that the identity is current: the check can ride with
// the request's first read, in one pipeline, as long as nothing of the
// request is written or answered before its outcome is known. Nothing is
// written: every write first settles the check (confirmBeforeWrite).
// Nothing is answered: the caller confirms before the first byte of its
// answer (ConfirmIdentity) and, when the identity was stale, throws the
// work away and serves the request again with a fresh one.

// versionQuery reads an organization's auth_version.
const versionQuery = "SELECT auth_version FROM organizations WHERE id = ?"

// errStaleIdentity answers a write of a request whose kept identity is no
// longer current: nothing was written, and the request is served again.
var errStaleIdentity = shopfloor.Errorf(shopfloor.CodeUnavailable, shopfloor.MsgUnavailable)

// checkState is where a deferred identity check stands.
type checkState uint8

const (
	checkUnused  checkState = iota // no kept identity admitted the request
	checkPending                   // owed: the next read carries it
	checkSent                      // riding with a read
	checkCurrent                   // the kept identity is current
	checkStale                     // it is not
)

// identityCheck is a request's deferred check: the organization and the
// auth_version its kept identity was read at.
type identityCheck struct {
	mu             sync.Mutex
	state          checkState
	orgID, version int64
}

type identityCheckKey struct{}

// DeferIdentityCheck returns a context in which an identity that this
// replica keeps is answered without a statement: the check that it is
// current is made with the request's first read, and the caller must call
// ConfirmIdentity before it answers anything.
func (s *Store) DeferIdentityCheck(ctx context.Context) context.Context {
	return context.WithValue(ctx, identityCheckKey{}, &identityCheck{})
}

// deferTo makes the check of a kept identity read at version c's to owe,
// when c is fresh; it reports whether it did.
func (c *identityCheck) deferTo(orgID, version int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != checkUnused {
		return false
	}
	c.state, c.orgID, c.version = checkPending, orgID, version
	return true
}

// claim hands the owed check to the read about to be sent.
func (c *identityCheck) claim() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != checkPending {
		return false
	}
	c.state = checkSent
	return true
}

// settle records the version read, unless the check was made already, and
// returns where the check stands; ok false gives it back, unmade.
func (c *identityCheck) settle(version int64, ok bool) checkState {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.state != checkPending && c.state != checkSent:
	case !ok:
		c.state = checkPending
	case version == c.version:
		c.state = checkCurrent
	default:
		c.state = checkStale
	}
	return c.state
}

// owedCheck is the request's check, claimed, when query is a read on
// PostgreSQL's pool that is to carry it.
func (s *Store) owedCheck(ctx context.Context, q querier, query string) *identityCheck {
	if !s.native(q) || !strings.HasPrefix(query, "SELECT ") {
		return nil // a write, or no pipeline to carry it
	}
	if c, ok := ctx.Value(identityCheckKey{}).(*identityCheck); ok && c.claim() {
		return c
	}
	return nil
}

// ConfirmIdentity reports whether the identity the request was admitted
// with is current: at once when no kept identity admitted it or a read
// already checked it, else after reading the version.
func (s *Store) ConfirmIdentity(ctx context.Context) (current bool, err error) {
	defer s.classify(&err)
	c, ok := ctx.Value(identityCheckKey{}).(*identityCheck)
	if !ok {
		return true, nil
	}
	c.mu.Lock()
	state, orgID := c.state, c.orgID
	if state == checkPending {
		c.state = checkSent // claimed: the read below must not carry it again
	}
	c.mu.Unlock()
	switch state {
	case checkUnused, checkCurrent:
		return true, nil
	case checkStale:
		return false, nil
	}
	// Pending, or riding with a read that has not answered: this read
	// makes it, whatever the other does.
	var version int64
	err = s.queryRow(ctx, s.read, versionQuery, orgID).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) { // the organization is gone
		err = nil
	}
	if state = c.settle(version, err == nil); err != nil {
		return false, fmt.Errorf("sqlstore: identity version: %w", err)
	}
	return state == checkCurrent, nil
}

// confirmBeforeWrite settles the request's check before a write: a write
// of a stale identity is refused with errStaleIdentity, before it is sent.
func (s *Store) confirmBeforeWrite(ctx context.Context) error {
	current, err := s.ConfirmIdentity(ctx)
	switch {
	case err != nil:
		return err
	case !current:
		return errStaleIdentity
	}
	return nil
}

// withCheck sends a read together with the owed check c, in one round
// trip: the version is read first, and a stale one answers
// errStaleIdentity instead of the read's rows. The caller closes the
// results after the read's rows.
func (s *Store) withCheck(ctx context.Context, c *identityCheck, query string, args []any) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	b.Queue(s.dialect.rebind(versionQuery), c.orgID)
	b.Queue(s.dialect.rebind(query), args...)
	s.statements.Add(1)
	results := s.pool.SendBatch(ctx, b)
	var version int64
	err := results.QueryRow().Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) { // the organization is gone
		err = nil
	}
	if c.settle(version, err == nil) == checkStale {
		err = errStaleIdentity
	}
	if err != nil {
		results.Close()
		return nil, err
	}
	return results, nil
}
