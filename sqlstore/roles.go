package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/shopfloor-dev/shopfloor"
)

var roles = &table[shopfloor.Role]{
	entity: "Role", name: "roles", alias: "r", kept: true,
	selects: "r.id, r.org_id, r.name, r.etag, r.created_at, r.updated_at",
	fields:  map[string]column{"id": {"r.id", kindID}, "name": {"r.name", kindText}},
	dest: func(v *shopfloor.Role) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

var permissionGroups = &table[shopfloor.PermissionGroup]{
	entity: "PermissionGroup", name: "permission_groups", alias: "pg", shared: true,
	selects: "pg.id, pg.name, pg.family",
	fields:  map[string]column{"id": {"pg.id", kindID}, "name": {"pg.name", kindText}, "family": {"pg.family", kindText}},
	dest: func(v *shopfloor.PermissionGroup) []any {
		return []any{&v.ID, &v.Name, &v.Family}
	},
}

// syncPermissionGroups writes the code's catalog into permission_groups,
// in one statement: a new version of the catalog replaces the old.
func (s *Store) syncPermissionGroups(ctx context.Context) error {
	groups := shopfloor.PermissionGroups()
	args := make([]any, 0, 3*len(groups))
	for _, g := range groups {
		args = append(args, g.ID, g.Name, g.Family)
	}
	q := "INSERT INTO permission_groups (id, name, family) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(groups)), ", ") +
		" ON CONFLICT (id) DO UPDATE SET name = excluded.name, family = excluded.family"
	if _, err := s.exec(ctx, s.write, q, args...); err != nil {
		return fmt.Errorf("sqlstore: permission groups: %w", err)
	}
	return nil
}

// Roles lists the caller's organization's roles.
func (s *Store) Roles(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Role], error) {
	return list(ctx, s, roles, opts)
}

// PermissionGroups lists the catalog of permission groups.
func (s *Store) PermissionGroups(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.PermissionGroup], error) {
	return list(ctx, s, permissionGroups, opts)
}

// UserRoles returns the roles a user of the caller's org holds directly.
func (s *Store) UserRoles(ctx context.Context, userID int64) ([]shopfloor.Role, error) {
	return where(ctx, s, roles, "r.id IN (SELECT role_id FROM user_roles WHERE user_id = ?)", userID)
}

// PermissionGroupsByRoleIDs returns the permission groups of each role of
// the caller's org, in one statement.
func (s *Store) PermissionGroupsByRoleIDs(ctx context.Context, roleIDs []int64) (map[int64][]shopfloor.PermissionGroup, error) {
	return grouped(ctx, s, permissionGroups, " JOIN role_permissions k ON k.permission = pg.name JOIN roles kr ON kr.id = k.role_id AND kr.org_id = o.id",
		"k.role_id", roleIDs)
}

// UsersByRoleIDs returns the users holding each role directly.
func (s *Store) UsersByRoleIDs(ctx context.Context, roleIDs []int64) (map[int64][]shopfloor.User, error) {
	return grouped(ctx, s, users, " JOIN user_roles k ON k.user_id = u.id", "k.role_id", roleIDs)
}

// UserPermissionGroups returns the permission groups a user holds through
// the roles of the caller's org they hold, directly or through teams.
func (s *Store) UserPermissionGroups(ctx context.Context, userID int64) ([]shopfloor.PermissionGroup, error) {
	return where(ctx, s, permissionGroups, "pg.name IN (SELECT k.permission FROM role_permissions k JOIN roles kr ON kr.id = k.role_id "+
		"WHERE kr.org_id = o.id AND k.role_id IN ("+userRoleIDs+"))", userID, userID)
}

// CreateRole adds a role holding no permission; names are unique in the org.
func (s *Store) CreateRole(ctx context.Context, f shopfloor.RoleFields) (*shopfloor.Role, error) {
	return mutate(ctx, s, roles, "CreateRole", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		var c changes
		c.set("name", *f.Name)
		id, err := s.insert(ctx, tx, roles.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Role with name '%s' already exists.", *f.Name)
		}
		return id, err
	})
}

// AttachPermissionGroupToRole grants a role a permission group.
func (s *Store) AttachPermissionGroupToRole(ctx context.Context, roleID, groupID int64, etag string) (*shopfloor.Role, error) {
	return s.linkPermissionGroup(ctx, "AttachPermissionGroupToRole", roleID, groupID, etag,
		"INSERT INTO role_permissions (role_id, permission) SELECT CAST(? AS BIGINT), name FROM permission_groups WHERE id = ? ON CONFLICT DO NOTHING")
}

// DetachPermissionGroupFromRole takes a permission group from a role.
func (s *Store) DetachPermissionGroupFromRole(ctx context.Context, roleID, groupID int64, etag string) (*shopfloor.Role, error) {
	return s.linkPermissionGroup(ctx, "DetachPermissionGroupFromRole", roleID, groupID, etag,
		"DELETE FROM role_permissions WHERE role_id = ? AND permission = (SELECT name FROM permission_groups WHERE id = ?)")
}

// linkPermissionGroup changes a role's permissions: the role must be of
// the caller's org, the group in the catalog, and the role not a system
// role.
func (s *Store) linkPermissionGroup(ctx context.Context, perm shopfloor.Permission, roleID, groupID int64, etag, stmt string) (*shopfloor.Role, error) {
	return link(ctx, s, roles, perm, roleID, groupID, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		if err := exists(ctx, s, tx, roles, p, roleID); err != nil {
			return err
		}
		known, err := s.hasAny(ctx, tx, "SELECT 1 FROM permission_groups WHERE id = ?", groupID)
		if err != nil {
			return err
		}
		if !known {
			return shopfloor.Errorf(shopfloor.CodeInvalid, "PermissionGroup with id %d does not exist.", groupID)
		}
		return s.changeableRole(ctx, tx, p, roleID, "its permission groups cannot be changed")
	}, stmt)
}

// changeableRole returns not-found unless the role is one of the caller's
// org, and, for a system role, the 422 saying why it cannot be changed.
func (s *Store) changeableRole(ctx context.Context, tx *sql.Tx, p *shopfloor.Principal, roleID int64, why string) error {
	r, err := getIn(ctx, s, tx, roles, p, roleID)
	if err == nil && r.System() {
		err = shopfloor.Errorf(shopfloor.CodeInvalid, "Role %s is a system role: %s.", r.Name, why)
	}
	return err
}

// AttachRoleToUser grants a user a role.
func (s *Store) AttachRoleToUser(ctx context.Context, roleID, userID int64, etag string) (*shopfloor.User, error) {
	return link(ctx, s, users, "AttachRoleToUser", userID, roleID, etag, found(ctx, s, roles, roleID),
		"INSERT INTO user_roles (user_id, role_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
}

// DetachRoleFromUser takes a role from a user.
func (s *Store) DetachRoleFromUser(ctx context.Context, roleID, userID int64, etag string) (*shopfloor.User, error) {
	return link(ctx, s, users, "DetachRoleFromUser", userID, roleID, etag, found(ctx, s, roles, roleID),
		"DELETE FROM user_roles WHERE user_id = ? AND role_id = ?")
}

// RolesByIDs returns the caller's roles among ids.
func (s *Store) RolesByIDs(ctx context.Context, ids []int64) ([]shopfloor.Role, error) {
	return byIDs(ctx, s, roles, ids)
}
