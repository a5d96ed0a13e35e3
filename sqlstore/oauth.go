package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopfloor-dev/shopfloor"
)

// OAuth apps are organization settings: managing them takes the
// UpdateOrganization permission (ION's list has no family of their own).
const manageApps shopfloor.Permission = "UpdateOrganization"

var oauthApps = &table[shopfloor.OAuthApp]{
	entity: "OauthApp", name: "oauth_apps", alias: "a",
	selects: "a.id, a.org_id, a.name, a.app_type, a.client_id, a.created_by_id, a.etag, a.created_at, a.updated_at",
	fields: map[string]column{
		"id": {"a.id", kindID}, "name": {"a.name", kindText}, "clientId": {"a.client_id", kindText},
	},
	dest: func(v *shopfloor.OAuthApp) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.AppType, &v.ClientID, &v.CreatedByID, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

var redirectURIs = &table[shopfloor.RedirectURI]{
	entity: "RedirectUri", name: "oauth_redirect_uris", alias: "r", kept: true,
	selects: "r.id, r.app_id, r.uri, r.uri_type",
	dest: func(v *shopfloor.RedirectURI) []any {
		return []any{&v.ID, &v.AppID, &v.URI, &v.URIType}
	},
}

// OAuthApps lists the caller's organization's apps with their URLs.
func (s *Store) OAuthApps(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.OAuthApp], error) {
	page, err := list(ctx, s, oauthApps, opts)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(page.Items))
	for i, a := range page.Items {
		ids[i] = a.ID
	}
	uris, err := grouped(ctx, s, redirectURIs, "", "r.app_id", ids)
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		page.Items[i].RedirectURIs = uris[page.Items[i].ID]
	}
	return page, nil
}

// RegisterOAuthApp registers an app with a new client id.
func (s *Store) RegisterOAuthApp(ctx context.Context, name, appType string) (*shopfloor.OAuthApp, error) {
	return mutate(ctx, s, oauthApps, manageApps, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := shopfloor.ValidateApp(&name, appType); err != nil {
			return 0, err
		}
		var c changes
		c.set("name", name)
		c.set("app_type", appType)
		c.set("client_id", randomHex(16))
		return s.insert(ctx, tx, oauthApps.name, p, c)
	})
}

// AddOAuthRedirectURI registers a URL for one of the caller's apps.
func (s *Store) AddOAuthRedirectURI(ctx context.Context, appID int64, uri, uriType string) (*shopfloor.RedirectURI, error) {
	return mutate(ctx, s, redirectURIs, manageApps, func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := exists(ctx, s, tx, oauthApps, p, appID); err != nil {
			return 0, err
		}
		if err := shopfloor.ValidateRedirectURI(uri, uriType); err != nil {
			return 0, err
		}
		var c changes
		c.set("app_id", appID)
		c.set("uri", uri)
		c.set("uri_type", uriType)
		id, err := s.insert(ctx, tx, redirectURIs.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Redirect URI '%s' is already registered as %s for this app.", uri, uriType)
		}
		return id, err
	})
}

// DeleteOAuthApp deletes an app if etag is current and revokes its
// refresh tokens in the same transaction; the middleware refuses its access
// tokens from then on.
func (s *Store) DeleteOAuthApp(ctx context.Context, id int64, etag string) (*shopfloor.OAuthApp, error) {
	app, err := get(ctx, s, oauthApps, id)
	if err != nil {
		return nil, err
	}
	err = remove(ctx, s, oauthApps, manageApps, id, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		_, err := s.exec(ctx, tx, "UPDATE refresh_tokens SET revoked_at = ? WHERE app_id = ? AND revoked_at IS NULL", s.Now().UTC(), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return app, nil
}

// OAuthAppByClientID finds a live app by client id, with its URLs, for
// sign-in: no principal is needed.
func (s *Store) OAuthAppByClientID(ctx context.Context, clientID string) (_ *shopfloor.OAuthApp, err error) {
	defer s.classify(&err)
	app, err := oauthApps.scanOne(s.queryRow(ctx, s.read, "SELECT "+oauthApps.selects+" FROM "+oauthApps.from(s.dialect)+
		" WHERE a.client_id = ? AND a.deleted_at IS NULL", clientID))
	if err == sql.ErrNoRows {
		return nil, shopfloor.Errorf(shopfloor.CodeNotFound, "OAuth app not found.")
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: oauth app: %w", err)
	}
	rows, err := s.query(ctx, s.read, "SELECT "+redirectURIs.selects+" FROM "+redirectURIs.from(s.dialect)+" WHERE r.app_id = ? ORDER BY r.id", app.ID)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: oauth app: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := redirectURIs.scanOne(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: oauth app: %w", err)
		}
		app.RedirectURIs = append(app.RedirectURIs, u)
	}
	return &app, rows.Err()
}

// OriginOrgs lists the organizations whose live OAuth apps registered
// origin (scheme://host[:port], registered as is or with a trailing slash)
// as an origin URI, for CORS: no principal is needed.
func (s *Store) OriginOrgs(ctx context.Context, origin string) (_ []int64, err error) {
	defer s.classify(&err)
	rows, err := s.query(ctx, s.read, "SELECT DISTINCT r.org_id FROM "+redirectURIs.from(s.dialect)+" JOIN oauth_apps a ON a.id = r.app_id"+
		" WHERE r.uri_type = ? AND r.uri IN (?, ?) AND a.deleted_at IS NULL ORDER BY r.org_id", shopfloor.URIOrigin, origin, origin+"/")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: origin: %w", err)
	}
	defer rows.Close()
	var orgs []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: origin: %w", err)
		}
		orgs = append(orgs, id)
	}
	return orgs, rows.Err()
}
