package shopfloor

import (
	"context"
	"time"
)

// Team is a group of users of an organization: its members hold its roles.
type Team struct {
	ID           int64
	OrgID        int64
	Name         string
	SupervisorID *int64
	Etag         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TeamFields are the writable fields of a team.
type TeamFields struct {
	Name         *string
	SupervisorID *int64
}

// Validate normalizes and validates team fields.
func (f *TeamFields) Validate() error {
	c := &check{entity: "Team"}
	c.text("name", f.Name, true, 255)
	return c.result()
}

// TeamService manages the teams of the caller's organization. Etags, when
// given, are the team's: a change of its members or roles is a change of
// the team.
type TeamService interface {
	Teams(ctx context.Context, opts ListOptions) (*Page[Team], error)
	// RolesByTeamIDs returns the roles of each team.
	RolesByTeamIDs(ctx context.Context, teamIDs []int64) (map[int64][]Role, error)
	// UsersByTeamIDs returns the members of each team.
	UsersByTeamIDs(ctx context.Context, teamIDs []int64) (map[int64][]User, error)
	// UserTeams returns the teams a user of the caller's org is a member of.
	UserTeams(ctx context.Context, userID int64) ([]Team, error)
	CreateTeam(ctx context.Context, f TeamFields) (*Team, error)
	AddUserToTeam(ctx context.Context, teamID, userID int64, etag string) (*Team, error)
	RemoveUserFromTeam(ctx context.Context, teamID, userID int64, etag string) (*Team, error)
	// AttachRoleToTeam grants a role to the team's members; system roles
	// are granted to users only.
	AttachRoleToTeam(ctx context.Context, teamID, roleID int64, etag string) (*Team, error)
	DetachRoleFromTeam(ctx context.Context, teamID, roleID int64, etag string) (*Team, error)
}
