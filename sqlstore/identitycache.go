package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/shopfloor-dev/shopfloor"
)

// identityKey names what a token's subject loads as: the account, and the
// API key, or the OAuth app and grant, its token was issued through.
type identityKey struct {
	userID                int64
	clientID, appClientID string
	grantID               int64
}

// cachedIdentity is an identity as it was read at its organization's
// auth_version: valid while that version is current.
type cachedIdentity struct {
	identity shopfloor.Identity
	version  int64
}

// maxIdentities bounds the identities a replica keeps; past it the cache
// starts over.
const maxIdentities = 10000

// identityCache keeps the identities this replica loaded. Every change to
// what an identity is read from bumps its organization's auth_version in
// the change's transaction (the triggers of migration 00022), so an entry
// whose version is still the organization's is what a fresh load would
// read, on every replica sharing the database.
type identityCache struct {
	mu      sync.Mutex
	entries map[identityKey]cachedIdentity
}

func (c *identityCache) get(k identityKey) (cachedIdentity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	return e, ok
}

func (c *identityCache) put(k identityKey, e cachedIdentity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxIdentities {
		c.entries = make(map[identityKey]cachedIdentity)
	}
	c.entries[k] = e
}

// cachedIdentity returns a copy of the identity k loaded as, when its
// organization's auth_version is still the one it was read at: one
// statement of one row instead of the account, its permissions and its
// organization's flags, or none in a context that defers the check
// (DeferIdentityCheck).
func (s *Store) cachedIdentity(ctx context.Context, k identityKey) (*shopfloor.Identity, error) {
	e, ok := s.identities.get(k)
	if !ok {
		return nil, nil
	}
	if c, ok := ctx.Value(identityCheckKey{}).(*identityCheck); ok && c.deferTo(e.identity.OrgID, e.version) {
		id := e.identity
		return &id, nil
	}
	var version int64
	if err := s.queryRow(ctx, s.read, versionQuery, e.identity.OrgID).Scan(&version); err != nil {
		return nil, fmt.Errorf("sqlstore: identity version: %w", err)
	}
	return e.at(version), nil
}

// at is a copy of the kept identity when version is the one it was read at,
// else nil.
func (e cachedIdentity) at(version int64) *shopfloor.Identity {
	if version != e.version {
		return nil
	}
	id := e.identity // the maps and slices it holds are only read
	return &id
}
