package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

var apiKeys = &table[shopfloor.APIKey]{
	entity: "APIKey", name: "api_keys", alias: "k",
	selects: "k.id, k.org_id, k.user_id, k.created_by_id, k.client_id, k.secret_hash, k.enabled, k.token_generation, k.etag, k.created_at, k.updated_at",
	fields: map[string]column{
		"id": {"k.id", kindID}, "clientId": {"k.client_id", kindText}, "enabled": {"k.enabled", kindBool},
		"createdAt": {"k.created_at", kindText},
	},
	dest: func(v *shopfloor.APIKey) []any {
		return []any{&v.ID, &v.OrgID, &v.UserID, &v.CreatedByID, &v.ClientID, &v.SecretHash, &v.Enabled, &v.TokenGeneration, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

// CreateAPIKey makes an API key for creatorID, a person of orgID, holding
// the permissions the person has now (later role changes do not reach it).
// For set-up and the command line; the API's is CreateCallerAPIKey.
func (s *Store) CreateAPIKey(ctx context.Context, orgID, creatorID int64) (*shopfloor.NewAPIKey, error) {
	var key *shopfloor.NewAPIKey
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		person, err := s.hasAny(ctx, tx, "SELECT 1 FROM users WHERE id = ? AND org_id = ? AND kind = 'PERSON'", creatorID, orgID)
		if err != nil {
			return err
		}
		if !person {
			return fmt.Errorf("sqlstore: create api key: no person %d in organization %d", creatorID, orgID)
		}
		perms, err := s.permissions(ctx, tx, "SELECT DISTINCT rp.permission FROM role_permissions rp WHERE rp.role_id IN ("+userRoleIDs+")", creatorID, creatorID)
		if err != nil {
			return err
		}
		key, err = s.insertAPIKey(ctx, tx, orgID, creatorID, perms)
		return err
	})
	return key, err
}

// CreateCallerAPIKey makes an API key holding the caller's permissions and
// returns it with its secret. A key made with a key belongs to the person
// who made that one.
func (s *Store) CreateCallerAPIKey(ctx context.Context) (*shopfloor.APIKey, string, error) {
	var secret string
	key, err := mutate(ctx, s, apiKeys, "CreateAPIKey", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		creator, err := s.person(ctx, tx, p)
		if err != nil {
			return 0, err
		}
		key, err := s.insertAPIKey(ctx, tx, p.OrgID, creator, p.Permissions)
		if err != nil {
			return 0, err
		}
		secret = key.ClientSecret
		return key.ID, nil
	})
	if err != nil {
		return nil, "", err
	}
	return key, secret, nil
}

// insertAPIKey adds a key and its service identity, with perms.
func (s *Store) insertAPIKey(ctx context.Context, tx *sql.Tx, orgID, creatorID int64, perms map[shopfloor.Permission]bool) (*shopfloor.NewAPIKey, error) {
	key := &shopfloor.NewAPIKey{ClientID: randomHex(16), ClientSecret: randomHex(32)}
	now := s.Now().UTC()
	var serviceID int64
	err := s.queryRow(ctx, tx, "INSERT INTO users (org_id, email, name, kind, active, etag, created_at, updated_at) "+
		"SELECT id, ?, ?, 'SERVICE', TRUE, ?, ?, ? FROM organizations WHERE id = ? RETURNING id",
		"service-account-"+key.ClientID, "API key "+key.ClientID[:8], newEtag(), now, now, orgID).Scan(&serviceID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: create api key: service identity: %w", err)
	}
	err = s.queryRow(ctx, tx, "INSERT INTO api_keys (org_id, user_id, created_by_id, client_id, secret_hash, enabled, etag, created_at, updated_at) "+
		"VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?) RETURNING id",
		orgID, serviceID, creatorID, key.ClientID, shopfloor.HashSecret(key.ClientSecret), newEtag(), now, now).Scan(&key.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: create api key: %w", err)
	}
	for _, perm := range sortedKeys(perms) {
		if _, err := s.exec(ctx, tx, "INSERT INTO api_key_permissions (api_key_id, permission) VALUES (?, ?)", key.ID, perm); err != nil {
			return nil, fmt.Errorf("sqlstore: create api key: %w", err)
		}
	}
	return key, nil
}

// APIKeyByClientID finds a live API key by its client id, with the state
// of the person who made it and its organization's auth_version.
func (s *Store) APIKeyByClientID(ctx context.Context, clientID string) (_ *shopfloor.APIKey, err error) {
	defer s.classify(&err)
	var k shopfloor.APIKey
	err = s.queryRow(ctx, s.read, "SELECT "+apiKeys.selects+", c.email, c.active, o.auth_version FROM api_keys k JOIN users c ON c.id = k.created_by_id "+
		"JOIN organizations o ON o.id = k.org_id WHERE k.client_id = ? AND k.deleted_at IS NULL", clientID).
		Scan(append(apiKeys.dest(&k), &k.CreatorEmail, &k.CreatorActive, &k.AuthVersion)...)
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "API key not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: api key: %w", err)
	}
	return &k, nil
}

// APIKeys lists the caller's organization's live API keys.
func (s *Store) APIKeys(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.APIKey], error) {
	return list(ctx, s, apiKeys, opts)
}

// keyByClientID reads a live key of the caller's org by client id.
func (s *Store) keyByClientID(ctx context.Context, q querier, p *shopfloor.Principal, clientID string) (*shopfloor.APIKey, error) {
	k, err := apiKeys.scanOne(s.queryRow(ctx, q, "SELECT "+apiKeys.selects+" FROM "+apiKeys.from(s.dialect)+" WHERE k.client_id = ? AND "+apiKeys.scope(), clientID, p.OrgID))
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "APIKey with clientId %s not found.", clientID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: api key: %w", err)
	}
	return &k, nil
}

// UpdateAPIKey enables or disables a key and, when asked, gives it a new
// secret, which is returned (the only time it is seen). Disabling it or
// regenerating its secret revokes the tokens it was issued, for good. An
// etag, when sent, must be current; without one (ION's input has none) the
// last write wins.
func (s *Store) UpdateAPIKey(ctx context.Context, clientID, etag string, enabled *bool, regenerate bool) (_ *shopfloor.APIKey, secret string, err error) {
	var c changes
	setIf(&c, "enabled", enabled)
	if regenerate {
		secret = randomHex(32)
		c.set("secret_hash", shopfloor.HashSecret(secret))
	}
	key, err := mutate(ctx, s, apiKeys, "UpdateAPIKey", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		key, err := s.keyByClientID(ctx, tx, p, clientID)
		if err != nil {
			return 0, err
		}
		if regenerate || enabled != nil && !*enabled {
			// The etag check makes the read generation the one replaced.
			c.set("token_generation", key.TokenGeneration+1)
		}
		return key.ID, update(ctx, s, tx, apiKeys, p, key.ID, cmp.Or(etag, key.Etag), c)
	})
	if err != nil {
		return nil, "", err
	}
	return key, secret, nil
}

// DeleteAPIKey deletes a key if etag is current (an empty etag, as older
// clients send, deletes it regardless); its tokens stop working at once.
func (s *Store) DeleteAPIKey(ctx context.Context, clientID, etag string) (_ *shopfloor.APIKey, err error) {
	defer s.classify(&err)
	p, err := shopfloor.Authorize(ctx, "DeleteAPIKey")
	if err != nil {
		return nil, err
	}
	key, err := s.keyByClientID(ctx, s.read, p, clientID)
	if err != nil {
		return nil, err
	}
	if etag == "" {
		etag = key.Etag
	}
	if err := remove(ctx, s, apiKeys, "DeleteAPIKey", key.ID, etag, nil); err != nil {
		return nil, err
	}
	return key, nil
}

// person is the person a principal acts for: the user, or for an API key
// the person who made it.
func (s *Store) person(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
	if p.ClientID == "" {
		return p.UserID, nil
	}
	var creator int64
	if err := s.queryRow(ctx, tx, "SELECT created_by_id FROM api_keys WHERE client_id = ? AND org_id = ?", p.ClientID, p.OrgID).Scan(&creator); err != nil {
		return 0, fmt.Errorf("sqlstore: api key creator: %w", err)
	}
	return creator, nil
}
