package sqlstore

import (
	"context"
	"database/sql"

	"github.com/shopfloor-dev/shopfloor"
)

var teams = &table[shopfloor.Team]{
	entity: "Team", name: "teams", alias: "tm", kept: true,
	selects: "tm.id, tm.org_id, tm.name, tm.supervisor_id, tm.etag, tm.created_at, tm.updated_at",
	fields: map[string]column{
		"id":           {"tm.id", kindID},
		"name":         {"tm.name", kindText},
		"supervisorId": {"tm.supervisor_id", kindID},
	},
	dest: func(v *shopfloor.Team) []any {
		return []any{&v.ID, &v.OrgID, &v.Name, &v.SupervisorID, &v.Etag, &v.CreatedAt, &v.UpdatedAt}
	},
}

// Teams lists the caller's organization's teams.
func (s *Store) Teams(ctx context.Context, opts shopfloor.ListOptions) (*shopfloor.Page[shopfloor.Team], error) {
	return list(ctx, s, teams, opts)
}

// RolesByTeamIDs returns the roles of each team, in one statement.
func (s *Store) RolesByTeamIDs(ctx context.Context, teamIDs []int64) (map[int64][]shopfloor.Role, error) {
	return grouped(ctx, s, roles, " JOIN team_roles k ON k.role_id = r.id", "k.team_id", teamIDs)
}

// UsersByTeamIDs returns the members of each team, in one statement.
func (s *Store) UsersByTeamIDs(ctx context.Context, teamIDs []int64) (map[int64][]shopfloor.User, error) {
	return grouped(ctx, s, users, " JOIN team_users k ON k.user_id = u.id", "k.team_id", teamIDs)
}

// UserTeams returns the teams of the caller's org a user is a member of.
func (s *Store) UserTeams(ctx context.Context, userID int64) ([]shopfloor.Team, error) {
	return where(ctx, s, teams, "tm.id IN (SELECT team_id FROM team_users WHERE user_id = ?)", userID)
}

// CreateTeam adds a team; names are unique in the org, and the supervisor
// is a user of it.
func (s *Store) CreateTeam(ctx context.Context, f shopfloor.TeamFields) (*shopfloor.Team, error) {
	return mutate(ctx, s, teams, "CreateTeam", func(tx *sql.Tx, p *shopfloor.Principal) (int64, error) {
		if err := f.Validate(); err != nil {
			return 0, err
		}
		if f.SupervisorID != nil {
			if err := exists(ctx, s, tx, users, p, *f.SupervisorID); err != nil {
				return 0, err
			}
		}
		var c changes
		c.set("name", *f.Name)
		setIf(&c, "supervisor_id", f.SupervisorID)
		id, err := s.insert(ctx, tx, teams.name, p, c)
		if s.dialect.isUnique(err) {
			return 0, shopfloor.Errorf(shopfloor.CodeInvalid, "Team with name '%s' already exists.", *f.Name)
		}
		return id, err
	})
}

// AddUserToTeam makes a user of the caller's org a member of a team.
func (s *Store) AddUserToTeam(ctx context.Context, teamID, userID int64, etag string) (*shopfloor.Team, error) {
	return link(ctx, s, teams, "AddUserToTeam", teamID, userID, etag, found(ctx, s, users, userID),
		"INSERT INTO team_users (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
}

// RemoveUserFromTeam ends a user's membership of a team.
func (s *Store) RemoveUserFromTeam(ctx context.Context, teamID, userID int64, etag string) (*shopfloor.Team, error) {
	return link(ctx, s, teams, "RemoveUserFromTeam", teamID, userID, etag, found(ctx, s, users, userID),
		"DELETE FROM team_users WHERE team_id = ? AND user_id = ?")
}

// AttachRoleToTeam grants a team's members a role; system roles are
// granted to users only.
func (s *Store) AttachRoleToTeam(ctx context.Context, teamID, roleID int64, etag string) (*shopfloor.Team, error) {
	return link(ctx, s, teams, "AttachRoleToTeam", teamID, roleID, etag, func(tx *sql.Tx, p *shopfloor.Principal) error {
		return s.changeableRole(ctx, tx, p, roleID, "it can be granted to users only, not teams")
	}, "INSERT INTO team_roles (team_id, role_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
}

// DetachRoleFromTeam takes a role from a team.
func (s *Store) DetachRoleFromTeam(ctx context.Context, teamID, roleID int64, etag string) (*shopfloor.Team, error) {
	return link(ctx, s, teams, "DetachRoleFromTeam", teamID, roleID, etag, found(ctx, s, roles, roleID),
		"DELETE FROM team_roles WHERE team_id = ? AND role_id = ?")
}
