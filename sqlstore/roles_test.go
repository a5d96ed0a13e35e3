package sqlstore_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// A role reaches a user through a team or directly, on both engines; each
// link is idempotent, renews its owner's etag and stays in its org.
func TestRolesAndTeams(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "b.example", shopfloor.RoleAdmin)
		admin := must[*shopfloor.Principal](t)(shopfloor.PrincipalFrom(ctx))
		worker := must[*shopfloor.User](t)(s.CreateUser(context.Background(), admin.OrgID, "worker@a.example", "Worker"))
		permissions := func() []shopfloor.Permission {
			t.Helper()
			id := must[*shopfloor.Identity](t)(s.Identity(context.Background(), worker.ID, ""))
			return slices.Sorted(maps.Keys(id.Permissions))
		}

		groups := must[*shopfloor.Page[shopfloor.PermissionGroup]](t)(s.PermissionGroups(ctx, shopfloor.ListOptions{
			Filters: map[string]any{"name": map[string]any{"eq": "CreatePart"}}}))
		group := groups.Items[0]
		role := must[*shopfloor.Role](t)(s.CreateRole(ctx, shopfloor.RoleFields{Name: ptr("Builder")}))
		attached := must[*shopfloor.Role](t)(s.AttachPermissionGroupToRole(ctx, role.ID, group.ID, role.Etag))
		attached = must[*shopfloor.Role](t)(s.AttachPermissionGroupToRole(ctx, role.ID, group.ID, "")) // twice is once
		if attached.Etag == role.Etag {
			t.Fatal("attaching a permission group kept the role's etag")
		}
		byRole := must[map[int64][]shopfloor.PermissionGroup](t)(s.PermissionGroupsByRoleIDs(ctx, []int64{role.ID}))
		if len(byRole[role.ID]) != 1 || byRole[role.ID][0] != group {
			t.Fatalf("permission groups %+v", byRole)
		}
		if foreign := must[map[int64][]shopfloor.PermissionGroup](t)(s.PermissionGroupsByRoleIDs(other, []int64{role.ID})); len(foreign) != 0 {
			t.Fatalf("another org reads the role's permission groups: %+v", foreign)
		}

		team := must[*shopfloor.Team](t)(s.CreateTeam(ctx, shopfloor.TeamFields{Name: ptr(" Line 1 "), SupervisorID: &admin.UserID}))
		team = must[*shopfloor.Team](t)(s.AttachRoleToTeam(ctx, team.ID, role.ID, team.Etag))
		must[*shopfloor.Team](t)(s.AddUserToTeam(ctx, team.ID, worker.ID, ""))
		must[*shopfloor.Team](t)(s.AddUserToTeam(ctx, team.ID, worker.ID, ""))
		if got := permissions(); !slices.Equal(got, []shopfloor.Permission{"CreatePart"}) {
			t.Fatalf("a team member holds %v", got)
		}
		rolesOf := must[map[int64][]shopfloor.Role](t)(s.RolesByTeamIDs(ctx, []int64{team.ID}))
		members := must[map[int64][]shopfloor.User](t)(s.UsersByTeamIDs(ctx, []int64{team.ID}))
		if team.Name != "Line 1" || len(rolesOf[team.ID]) != 1 || rolesOf[team.ID][0].Name != "Builder" || len(members[team.ID]) != 1 || members[team.ID][0].ID != worker.ID {
			t.Fatalf("team %+v: roles %+v, members %+v", team, rolesOf, members)
		}
		must[*shopfloor.Team](t)(s.RemoveUserFromTeam(ctx, team.ID, worker.ID, ""))
		if got := permissions(); len(got) != 0 {
			t.Fatalf("a former member holds %v", got)
		}

		must[*shopfloor.User](t)(s.AttachRoleToUser(ctx, role.ID, worker.ID, ""))
		holders := must[map[int64][]shopfloor.User](t)(s.UsersByRoleIDs(ctx, []int64{role.ID}))
		if len(holders[role.ID]) != 1 || len(permissions()) != 1 {
			t.Fatalf("holders %+v, permissions %v", holders, permissions())
		}
		must[*shopfloor.Role](t)(s.DetachPermissionGroupFromRole(ctx, role.ID, group.ID, ""))
		if got := permissions(); len(got) != 0 {
			t.Fatalf("a detached permission group is still held: %v", got)
		}

		roles := must[*shopfloor.Page[shopfloor.Role]](t)(s.Roles(ctx, shopfloor.ListOptions{Filters: map[string]any{"name": map[string]any{"eq": shopfloor.RoleAdmin}}}))
		adminRole := roles.Items[0].ID
		_, err := s.AttachRoleToTeam(ctx, team.ID, adminRole, "")
		wantCode(t, err, shopfloor.CodeInvalid, "Role Admin is a system role: it can be granted to users only, not teams.")
		_, err = s.AttachPermissionGroupToRole(ctx, adminRole, 9999, "")
		wantCode(t, err, shopfloor.CodeInvalid, "PermissionGroup with id 9999 does not exist.")
		_, err = s.DetachPermissionGroupFromRole(ctx, adminRole, group.ID, "")
		wantCode(t, err, shopfloor.CodeInvalid, "Role Admin is a system role: its permission groups cannot be changed.")
		_, err = s.CreateRole(ctx, shopfloor.RoleFields{Name: ptr("Builder")})
		wantCode(t, err, shopfloor.CodeInvalid, "Role with name 'Builder' already exists.")
		_, err = s.CreateTeam(ctx, shopfloor.TeamFields{Name: ptr("Line 1")})
		wantCode(t, err, shopfloor.CodeInvalid, "Team with name 'Line 1' already exists.")
		_, err = s.AttachRoleToUser(other, role.ID, worker.ID, "")
		wantCode(t, err, shopfloor.CodeNotFound, notFound("Role", role.ID))
		_, err = s.AddUserToTeam(other, team.ID, worker.ID, "")
		wantCode(t, err, shopfloor.CodeNotFound, notFound("User", worker.ID))
		_, err = s.CreateTeam(other, shopfloor.TeamFields{Name: ptr("Theirs"), SupervisorID: &worker.ID})
		wantCode(t, err, shopfloor.CodeNotFound, notFound("User", worker.ID))
		// Names are unique per org only.
		must[*shopfloor.Role](t)(s.CreateRole(other, shopfloor.RoleFields{Name: ptr("Builder")}))
	})
}
