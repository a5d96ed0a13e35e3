package model

import "github.com/shopfloor-dev/shopfloor"

// PermissionGroupToRoleInput attaches a permission group to a role, or
// detaches it.
type PermissionGroupToRoleInput struct {
	RoleID            int64 `json:"roleId"`
	PermissionGroupID int64 `json:"permissionGroupId"`
	EtagInput
}

// RoleToUserInput attaches a role to a user, or detaches it.
type RoleToUserInput struct {
	RoleID int64 `json:"roleId"`
	UserID int64 `json:"userId"`
	EtagInput
}

// TeamToUserInput adds a user to a team, or removes them.
type TeamToUserInput struct {
	TeamID int64 `json:"teamId"`
	UserID int64 `json:"userId"`
	EtagInput
}

// RoleToTeamInput attaches a role to a team, or detaches it.
type RoleToTeamInput struct {
	TeamID int64 `json:"teamId"`
	RoleID int64 `json:"roleId"`
	EtagInput
}

// Payloads of the role and team mutations.
type (
	RolePayload       struct{ Role *shopfloor.Role }
	TeamPayload       struct{ Team *shopfloor.Team }
	TeamToUserPayload struct{ TeamID, UserID int64 }
)
