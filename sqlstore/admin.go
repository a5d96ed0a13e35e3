package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

// Users lists the caller's organization's users.
func (s *Store) Users(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.User], error) {
	return list(ctx, s, users, opts)
}

// UpdateUser changes a user of the caller's org if etag is current.
// Deactivating a user disables the API keys they made, in the same
// transaction.
func (s *Store) UpdateUser(ctx context.Context, id int64, etag string, f shopfloor.UserFields) (*shopfloor.User, error) {
	return mutate(ctx, s, users, "UpdateUser", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		setIf(&c, "name", f.Name)
		setIf(&c, "active", f.Active)
		if err := update(ctx, s, tx, users, p, id, etag, c); err != nil {
			return 0, err
		}
		if f.Active != nil && !*f.Active {
			return id, s.disableKeysOf(ctx, tx, id)
		}
		return id, nil
	})
}

// disableKeysOf disables the live API keys a person made, revoking their
// tokens.
func (s *Store) disableKeysOf(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := s.exec(ctx, tx, "UPDATE api_keys SET enabled = FALSE, token_generation = token_generation + 1, etag = ?, updated_at = ? WHERE created_by_id = ? AND enabled AND deleted_at IS NULL",
		newEtag(), s.Now().UTC(), userID)
	if err != nil {
		return fmt.Errorf("sqlstore: disable api keys: %w", err)
	}
	return nil
}

// UpdateOrganization changes the caller's own organization if etag is
// current; another organization's id is the cross-org 403.
func (s *Store) UpdateOrganization(ctx context.Context, id int64, etag string, f shopfloor.OrganizationFields) (_ *shopfloor.Organization, err error) {
	defer s.classify(&err)
	if _, err := shopfloor.RequireOwnOrg(ctx, id); err != nil {
		return nil, err
	}
	p, err := shopfloor.Authorize(ctx, "UpdateOrganization")
	if err != nil {
		return nil, err
	}
	if etag == "" {
		return nil, shopfloor.Errorf(shopfloor.CodeInvalid, "Organization etag is required.")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var c changes
	setIf(&c, "name", f.Name)
	if f.LoginDomains != nil {
		c.set("login_domains", strings.Join(f.LoginDomains, ","))
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.keepsCallerSignIn(ctx, tx, p, f); err != nil {
			return err
		}
		if f.Settings != nil {
			var settings shopfloor.OrganizationSettings
			if err := s.queryRow(ctx, tx, "SELECT settings FROM organizations WHERE id = ?", id).Scan(&settings); err != nil {
				return err
			}
			if err := f.Settings.Apply(&settings); err != nil {
				return err
			}
			c.set("settings", settings)
		}
		ok, err := s.setOrg(ctx, tx, id, etag, c)
		if err != nil {
			return err
		}
		if !ok {
			return shopfloor.ErrEtagMismatch
		}
		return s.audit(ctx, tx, p, "UpdateOrganization", "Organization", id)
	})
	if err != nil {
		return nil, err
	}
	return s.Organization(ctx)
}

// keepsCallerSignIn refuses login domains that would lock out the caller:
// the person, or the person who made the API key, making the change.
func (s *Store) keepsCallerSignIn(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, f shopfloor.OrganizationFields) error {
	if f.LoginDomains == nil {
		return nil
	}
	email := p.Email
	if p.ClientID != "" {
		err := s.queryRow(ctx, tx, "SELECT c.email FROM api_keys k JOIN users c ON c.id = k.created_by_id WHERE k.client_id = ? AND k.org_id = ?",
			p.ClientID, p.OrgID).Scan(&email)
		if err != nil {
			return fmt.Errorf("sqlstore: api key creator: %w", err)
		}
	}
	return f.KeepsSignIn(email)
}

// setOrg writes c to an organization, if its etag is etag ("" for any),
// with a new etag; it reports whether the row was written.
func (s *Store) setOrg(ctx context.Context, q querier, id int64, etag string, c changes) (bool, error) {
	c.set("etag", newEtag())
	c.set("updated_at", s.Now().UTC())
	query, args := "UPDATE organizations SET "+c.assignments()+" WHERE id = ?", append(c.args, id)
	if etag != "" {
		query, args = query+" AND etag = ?", append(args, etag)
	}
	res, err := s.exec(ctx, q, query, args...)
	if err != nil {
		return false, fmt.Errorf("sqlstore: update organization: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// The operator's functions below act on an organization named by its
// domain, outside any principal: the shopfloor command uses them.

// OrganizationByDomain finds an organization by its primary domain.
func (s *Store) OrganizationByDomain(ctx context.Context, domain string) (*shopfloor.Organization, error) {
	o, err := scanOrg(s.queryRow(ctx, s.read, orgSelect+" WHERE domain = ?", domain))
	if err == sql.ErrNoRows {
		return nil, fmt.Errorf("no organization with domain %q", domain)
	}
	return o, err
}

// OrgSettings are what the operator may set on an organization; nil
// fields stay as they are.
type OrgSettings struct {
	State          *string
	ReadOnlySchema *bool
	LoginDomains   []string
	Features       map[shopfloor.Feature]bool
}

// SetOrgSettings applies settings to an organization.
func (s *Store) SetOrgSettings(ctx context.Context, orgID int64, set OrgSettings) error {
	var c changes
	if set.State != nil {
		state := strings.ToUpper(*set.State)
		if !slices.Contains(shopfloor.OrgStates, state) {
			return fmt.Errorf("state must be one of %v", shopfloor.OrgStates)
		}
		c.set("state", state)
	}
	setIf(&c, "read_only_schema", set.ReadOnlySchema)
	if set.LoginDomains != nil {
		f := shopfloor.OrganizationFields{LoginDomains: set.LoginDomains}
		if err := f.Validate(); err != nil {
			return err
		}
		c.set("login_domains", strings.Join(f.LoginDomains, ","))
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.setOrg(ctx, tx, orgID, "", c); err != nil {
			return err
		}
		for _, f := range sortedKeys(set.Features) {
			if _, err := s.exec(ctx, tx, "DELETE FROM org_features WHERE org_id = ? AND feature = ?", orgID, f); err != nil {
				return fmt.Errorf("sqlstore: feature: %w", err)
			}
			if _, err := s.exec(ctx, tx, "INSERT INTO org_features (org_id, feature, enabled) VALUES (?, ?, ?)", orgID, f, set.Features[f]); err != nil {
				return fmt.Errorf("sqlstore: feature: %w", err)
			}
		}
		return nil
	})
}

// SetUserActive activates or deactivates a person; deactivating disables
// the API keys they made.
func (s *Store) SetUserActive(ctx context.Context, userID int64, active bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.exec(ctx, tx, "UPDATE users SET active = ?, etag = ?, updated_at = ? WHERE id = ?", active, newEtag(), s.Now().UTC(), userID); err != nil {
			return fmt.Errorf("sqlstore: set user active: %w", err)
		}
		if !active {
			return s.disableKeysOf(ctx, tx, userID)
		}
		return nil
	})
}

// UsersByIDs returns the caller's users among ids.
func (s *Store) UsersByIDs(ctx context.Context, ids []int64) ([]shopfloor.User, error) {
	return byIDs(ctx, s, users, ids)
}
