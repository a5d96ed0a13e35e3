package demo

import (
	"context"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedTeam gives an organization, as its admin, a role beyond the system
// ones (Operator: every PartInventory permission) and a team holding it
// (Assembly, supervised by the admin, with no members yet).
func seedTeam(ctx context.Context, s *sqlstore.Store, supervisorID int64) error {
	role, err := s.CreateRole(ctx, shopfloor.RoleFields{Name: ptr("Operator")})
	if err != nil {
		return err
	}
	groups, err := s.PermissionGroups(ctx, shopfloor.ListOptions{Filters: map[string]any{"family": map[string]any{"eq": "PartInventory"}}})
	if err != nil {
		return err
	}
	for _, g := range groups.Items {
		if role, err = s.AttachPermissionGroupToRole(ctx, role.ID, g.ID, role.Etag); err != nil {
			return err
		}
	}
	team, err := s.CreateTeam(ctx, shopfloor.TeamFields{Name: ptr("Assembly"), SupervisorID: &supervisorID})
	if err != nil {
		return err
	}
	_, err = s.AttachRoleToTeam(ctx, team.ID, role.ID, team.Etag)
	return err
}
