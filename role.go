package shopfloor

import (
	"context"
	"time"
)

// Role is a named set of permissions in an organization. Users hold roles
// directly or through their teams; their permissions are the union.
type Role struct {
	ID        int64
	OrgID     int64
	Name      string
	Etag      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// The system roles every organization has.
const (
	RoleAdmin    = "Admin"     // every permission
	RoleReadOnly = "Read-only" // no permission: reads only
)

// System reports whether r is a system role: its permissions are fixed,
// and it is granted to users only, not teams.
func (r *Role) System() bool { return r.Name == RoleAdmin || r.Name == RoleReadOnly }

// RoleFields are the writable fields of a role.
type RoleFields struct {
	Name *string
}

// Validate normalizes and validates role fields.
func (f *RoleFields) Validate() error {
	c := &check{entity: "Role"}
	c.text("name", f.Name, true, 255)
	return c.result()
}

// RoleService manages the roles of the caller's organization, the
// permission groups they hold and the users they are granted to. Changes
// take effect from the next request of the users concerned.
type RoleService interface {
	Roles(ctx context.Context, opts ListOptions) (*Page[Role], error)
	RolesByIDs(ctx context.Context, ids []int64) ([]Role, error)
	// PermissionGroups lists the catalog, the same for every organization.
	PermissionGroups(ctx context.Context, opts ListOptions) (*Page[PermissionGroup], error)
	// PermissionGroupsByRoleIDs returns the permission groups of each role.
	PermissionGroupsByRoleIDs(ctx context.Context, roleIDs []int64) (map[int64][]PermissionGroup, error)
	// UsersByRoleIDs returns the users holding each role directly.
	UsersByRoleIDs(ctx context.Context, roleIDs []int64) (map[int64][]User, error)
	// UserPermissionGroups returns the permission groups a user of the
	// caller's org holds, through their roles and their teams' roles.
	UserPermissionGroups(ctx context.Context, userID int64) ([]PermissionGroup, error)
	CreateRole(ctx context.Context, f RoleFields) (*Role, error)
	// AttachPermissionGroupToRole and DetachPermissionGroupFromRole change
	// a role's permissions (not a system role's); etag, when given, is the
	// role's.
	AttachPermissionGroupToRole(ctx context.Context, roleID, groupID int64, etag string) (*Role, error)
	DetachPermissionGroupFromRole(ctx context.Context, roleID, groupID int64, etag string) (*Role, error)
	// AttachRoleToUser and DetachRoleFromUser change the roles a user holds
	// directly; etag, when given, is the user's.
	AttachRoleToUser(ctx context.Context, roleID, userID int64, etag string) (*User, error)
	DetachRoleFromUser(ctx context.Context, roleID, userID int64, etag string) (*User, error)
}
