package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// The functions of this file run before a principal exists (authentication,
// set-up, the command line); each names its organization explicitly or looks
// up a globally unique credential.

var users = &table[shopfloor.User]{
	entity: "User", name: "users", alias: "u", kept: true,
	selects: "u.id, u.org_id, u.name, u.email, u.kind, u.active, u.etag, u.created_at, u.updated_at",
	fields: map[string]column{"id": {"u.id", kindID}, "email": {"u.email", kindText}, "name": {"u.name", kindText},
		"kind": {"u.kind", kindEnum}, "active": {"u.active", kindBool}},
	dest: func(v *shopfloor.User) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.Email, &v.Kind, &v.Active, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

const orgSelect = "SELECT id, name, domain, state, read_only_schema, login_domains, settings, etag, created_at, updated_at FROM organizations"

func scanOrg(sc scanner) (*shopfloor.Organization, error) {
	var o shopfloor.Organization
	var domains string
	if err := sc.Scan(&o.ID, &o.Name, &o.Domain, &o.State, &o.ReadOnlySchema, &domains, &o.Settings, &o.Etag, &o.CreatedAt, &o.UpdatedAt); err != nil {
		return nil, err
	}
	o.LoginDomains = splitDomains(domains)
	return &o, nil
}

// splitDomains reads the login_domains column.
func splitDomains(s string) []string {
	out := []string{}
	for d := range strings.SplitSeq(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// Me returns the calling user.
func (s *Store) Me(ctx context.Context) (*shopfloor.User, error) {
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	return get(ctx, s, users, p.UserID)
}

// Organization returns the caller's organization.
func (s *Store) Organization(ctx context.Context) (_ *shopfloor.Organization, err error) {
	defer s.classify(&err)
	p, err := shopfloor.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	o, err := scanOrg(s.queryRow(ctx, s.read, orgSelect+" WHERE id = ?", p.OrgID))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: organization: %w", err)
	}
	return o, nil
}

// CreateOrganization adds an organization with its system roles: Admin,
// holding every permission, and Read-only, holding none.
func (s *Store) CreateOrganization(ctx context.Context, name, domain string) (*shopfloor.Organization, error) {
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().UTC()
		err := s.queryRow(ctx, tx, "INSERT INTO organizations (name, domain, login_domains, state, etag, created_at, updated_at) VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?) RETURNING id",
			name, domain, strings.ToLower(domain), newEtag(), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: create organization: %w", err)
		}
		for _, role := range []string{shopfloor.RoleAdmin, shopfloor.RoleReadOnly} {
			var roleID int64
			err := s.queryRow(ctx, tx, "INSERT INTO roles (org_id, name, etag, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
				id, role, newEtag(), now, now).Scan(&roleID)
			if err != nil {
				return fmt.Errorf("sqlstore: create role: %w", err)
			}
			if role != shopfloor.RoleAdmin {
				continue
			}
			for _, perm := range shopfloor.AllPermissions() {
				if _, err := s.exec(ctx, tx, "INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)", roleID, perm); err != nil {
					return fmt.Errorf("sqlstore: grant: %w", err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return scanOrg(s.queryRow(ctx, s.read, orgSelect+" WHERE id = ?", id))
}

// CreateUser adds an active user to an organization with the named roles.
func (s *Store) CreateUser(ctx context.Context, orgID int64, email, name string, roles ...string) (*shopfloor.User, error) {
	if err := (&shopfloor.UserFields{Name: &name}).Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.Now().UTC()
		err := s.queryRow(ctx, tx, "INSERT INTO users (org_id, email, name, active, etag, created_at, updated_at) VALUES (?, ?, ?, TRUE, ?, ?, ?) RETURNING id",
			orgID, email, name, newEtag(), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("sqlstore: create user: %w", err)
		}
		for _, role := range roles {
			res, err := s.exec(ctx, tx, "INSERT INTO user_roles (user_id, role_id) SELECT CAST(? AS BIGINT), id FROM roles WHERE org_id = ? AND name = ?", id, orgID, role)
			if err != nil {
				return fmt.Errorf("sqlstore: assign role: %w", err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return fmt.Errorf("sqlstore: no role %q in organization %d", role, orgID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.UserByEmail(ctx, email)
}

// UserByEmail finds a user by email, across organizations (emails are
// globally unique). For sign-in and the command line only.
func (s *Store) UserByEmail(ctx context.Context, email string) (*shopfloor.User, error) {
	u, err := users.scanOne(s.queryRow(ctx, s.read, "SELECT "+users.selects+" FROM users u WHERE u.email = ?", email))
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "User %s not found.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: user by email: %w", err)
	}
	return &u, nil
}

// PersonByEmail finds the person (not an API key's service identity) an
// email names, ignoring case, across organizations: for tokens of an
// external issuer. An email that, case ignored, names no one or more than
// one user is not found.
func (s *Store) PersonByEmail(ctx context.Context, email string) (_ *shopfloor.User, err error) {
	defer s.classify(&err)
	u, err := users.scanOne(s.queryRow(ctx, s.read, "SELECT "+users.selects+" FROM users u WHERE LOWER(u.email) = ? AND u.kind = ? "+
		"AND (SELECT COUNT(*) FROM users x WHERE LOWER(x.email) = LOWER(u.email)) = 1", strings.ToLower(email), shopfloor.UserPerson))
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "User %s not found.", email)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: person by email: %w", err)
	}
	return &u, nil
}

// Identity loads what a token's subject may do: the user (or, with a client
// id, the API key acting as its service identity), its permissions, and the
// states and flags of its account and organization.
func (s *Store) Identity(ctx context.Context, userID int64, clientID string) (*shopfloor.Identity, error) {
	return s.identity(ctx, userID, clientID, "", 0)
}

// IdentityViaApp is Identity for a person's token issued to an OAuth app
// by a grant (0 for none), telling whether the app still exists and the
// grant is not revoked.
func (s *Store) IdentityViaApp(ctx context.Context, userID int64, appClientID string, grantID int64) (*shopfloor.Identity, error) {
	return s.identity(ctx, userID, "", appClientID, grantID)
}

// KeyIdentity is Identity for the service identity of a key read by
// APIKeyByClientID: the auth_version read with the key tells whether the
// identity this replica keeps is current, so that a token exchange whose
// identity is kept takes one statement, not two.
func (s *Store) KeyIdentity(ctx context.Context, k *shopfloor.APIKey) (*shopfloor.Identity, error) {
	key := identityKey{userID: k.UserID, clientID: k.ClientID}
	if e, ok := s.identities.get(key); ok {
		if id := e.at(k.AuthVersion); id != nil {
			return id, nil
		}
	}
	return s.loadIdentity(ctx, key)
}

// identity loads the account with its organization's state and flags, the
// state of the API key (with its token generation) or of the app and grant
// the token was issued by, and the permissions (the key's, or the user's
// roles'), in one statement, with its organization's auth_version; later
// loads answer from the cache while that version is current (one row), so a
// change applies from the next request on every replica.
func (s *Store) identity(ctx context.Context, userID int64, clientID, appClientID string, grantID int64) (_ *shopfloor.Identity, err error) {
	defer s.classify(&err)
	key := identityKey{userID, clientID, appClientID, grantID}
	if id, err := s.cachedIdentity(ctx, key); id != nil || err != nil {
		return id, err
	}
	return s.loadIdentity(ctx, key)
}

// loadIdentity reads the identity key names and keeps it.
func (s *Store) loadIdentity(ctx context.Context, key identityKey) (_ *shopfloor.Identity, err error) {
	defer s.classify(&err)
	userID, clientID, appClientID, grantID := key.userID, key.clientID, key.appClientID, key.grantID
	id := &shopfloor.Identity{Principal: shopfloor.Principal{UserID: userID, ClientID: clientID, AppClientID: appClientID, GrantID: grantID}}
	var version int64
	var active bool
	var domains string
	var keyEnabled sql.NullBool
	var keyGeneration, appID sql.NullInt64
	var features, perms sql.NullString
	permsFrom, args := "role_permissions rp WHERE rp.role_id IN ("+userRoleIDs+")", []any{userID, userID}
	if clientID != "" {
		permsFrom, args = "api_key_permissions rp JOIN api_keys pk ON pk.id = rp.api_key_id WHERE pk.client_id = ?", []any{clientID}
	}
	err = s.queryRow(ctx, s.read, "SELECT o.auth_version, u.org_id, u.email, u.kind, u.active, o.state, o.read_only_schema, o.login_domains, k.enabled, k.token_generation, a.id, "+
		"(SELECT "+s.dialect.stringAgg(featureSetting)+" FROM org_features f WHERE f.org_id = o.id), "+
		"(SELECT "+s.dialect.stringAgg("rp.permission")+" FROM "+permsFrom+") "+
		"FROM users u JOIN organizations o ON o.id = u.org_id "+
		"LEFT JOIN api_keys k ON k.client_id = ? AND k.user_id = u.id AND k.deleted_at IS NULL "+
		"LEFT JOIN oauth_apps a ON a.client_id = ? AND a.org_id = u.org_id AND a.deleted_at IS NULL "+
		"AND NOT EXISTS (SELECT 1 FROM oauth_grants g WHERE g.id = ? AND g.revoked_at IS NOT NULL) WHERE u.id = ?", append(args, clientID, appClientID, grantID, userID)...).
		Scan(&version, &id.OrgID, &id.Email, &id.Kind, &active, &id.OrgState, &id.ReadOnlySchema, &domains, &keyEnabled, &keyGeneration, &appID, &features, &perms)
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "User not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: identity: %w", err)
	}
	id.Deactivated, id.LoginDomains = !active, splitDomains(domains)
	id.KeyEnabled, id.KeyGeneration, id.AppLive = keyEnabled.Valid && keyEnabled.Bool, keyGeneration.Int64, appID.Valid
	id.Features = parseFeatures(features.String)
	id.Permissions = make(map[shopfloor.Permission]bool, strings.Count(perms.String, ",")+1)
	for perm := range strings.SplitSeq(perms.String, ",") {
		if perm != "" {
			id.Permissions[shopfloor.Permission(perm)] = true
		}
	}
	s.identities.put(key, cachedIdentity{identity: *id, version: version})
	return id, nil
}

// userRoleIDs selects the ids of a user's roles, held directly or through
// a team; it takes the user id twice.
const userRoleIDs = "SELECT role_id FROM user_roles WHERE user_id = ? " +
	"UNION SELECT tr.role_id FROM team_roles tr JOIN team_users tu ON tu.team_id = tr.team_id WHERE tu.user_id = ?"

// permissions runs a query of permission names.
func (s *Store) permissions(ctx context.Context, q querier, query string, args ...any) (map[shopfloor.Permission]bool, error) {
	rows, err := s.query(ctx, q, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: permissions: %w", err)
	}
	defer rows.Close()
	out := map[shopfloor.Permission]bool{}
	for rows.Next() {
		var perm shopfloor.Permission
		if err := rows.Scan(&perm); err != nil {
			return nil, fmt.Errorf("sqlstore: permissions: %w", err)
		}
		out[perm] = true
	}
	return out, rows.Err()
}

// featureSetting renders one of an organization's feature flag settings
// as NAME=on|off, for stringAgg.
const featureSetting = "f.feature || '=' || CASE WHEN f.enabled THEN 'on' ELSE 'off' END"

// parseFeatures returns an organization's effective feature flags: the
// defaults, overridden by its own settings (comma-separated NAME=on|off),
// so that they load with the account, in the same statement.
func parseFeatures(settings string) map[shopfloor.Feature]bool {
	out := maps.Clone(shopfloor.Features)
	for _, setting := range strings.Split(settings, ",") {
		if name, state, ok := strings.Cut(setting, "="); ok {
			out[shopfloor.Feature(name)] = state == "on"
		}
	}
	return out
}

// SigningKeys returns every signing key, newest first.
func (s *Store) SigningKeys(ctx context.Context) ([]shopfloor.SigningKey, error) {
	rows, err := s.query(ctx, s.read, "SELECT kid, private_pem, created_at, retired_at FROM signing_keys ORDER BY created_at DESC, kid")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: signing keys: %w", err)
	}
	defer rows.Close()
	var out []shopfloor.SigningKey
	for rows.Next() {
		var k shopfloor.SigningKey
		if err := rows.Scan(&k.KID, &k.PrivatePEM, &k.CreatedAt, &k.RetiredAt); err != nil {
			return nil, fmt.Errorf("sqlstore: signing keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddSigningKey stores a new signing key.
func (s *Store) AddSigningKey(ctx context.Context, k shopfloor.SigningKey) error {
	_, err := s.exec(ctx, s.write, "INSERT INTO signing_keys (kid, private_pem, created_at) VALUES (?, ?, ?)", k.KID, k.PrivatePEM, k.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("sqlstore: add signing key: %w", err)
	}
	return nil
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// HasOrganizations reports whether any organization exists: a new data
// directory has none.
func (s *Store) HasOrganizations(ctx context.Context) (bool, error) {
	return s.hasAny(ctx, s.read, "SELECT 1 FROM organizations LIMIT 1")
}
