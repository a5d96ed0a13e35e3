package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// ids maps the names of a list's items (roles, teams, permissionGroups)
// to their ids, as token sees them.
func (s *testServer) ids(t *testing.T, token, list string) map[string]int64 {
	t.Helper()
	var conn struct {
		Edges []struct {
			Node struct {
				ID   int64
				Name string
			}
		}
	}
	s.gql(t, token, fmt.Sprintf("{ %s { edges { node { id name } } } }", list), nil).must(t).field(t, list, &conn)
	out := map[string]int64{}
	for _, e := range conn.Edges {
		out[e.Node.Name] = e.Node.ID
	}
	return out
}

// userID is the id of the user a token acts as.
func (s *testServer) userID(t *testing.T, token string) int64 {
	t.Helper()
	var me struct{ ID int64 }
	s.gql(t, token, `{ me { id } }`, nil).must(t).field(t, "me", &me)
	return me.ID
}

const createPart = `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id } } }`

// A person with no role may not create a part; a role holding CreatePart,
// given to them through a team or directly, lets them, from their next
// request on, and taking it away stops them again.
func TestTeamRoleGrantsPermission(t *testing.T) {
	s := startServer(t)
	org := s.Creds.Orgs[0]
	s.operator(t, "user", "create", "--org", org.Domain, "--email", "worker@"+org.Domain, "--role", "")
	worker, admin := s.userToken(t, "worker@"+org.Domain), s.userToken(t, org.Users[0].Email)
	workerID := s.userID(t, worker)
	denied := func(n string) {
		t.Helper()
		s.gql(t, worker, createPart, map[string]any{"n": n}).wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Part.")
	}
	allowed := func(n string) {
		t.Helper()
		s.gql(t, worker, createPart, map[string]any{"n": n}).must(t)
	}
	run := func(query string, vars map[string]any) gqlResponse {
		t.Helper()
		return s.gql(t, admin, query, vars).must(t)
	}
	denied("W-1")

	var created struct{ Role ref }
	run(`mutation { createRole(input: {name: "Builder"}) { role { id _etag } } }`, nil).field(t, "createRole", &created)
	role, group := created.Role.ID, s.ids(t, admin, "permissionGroups")["CreatePart"]
	r := run(`mutation($r: ID!, $g: ID!) { attachPermissionGroupToRole(input: {roleId: $r, permissionGroupId: $g}) { role { _etag permissionGroups { id name family } } } }`,
		map[string]any{"r": role, "g": group})
	if want := fmt.Sprintf(`"permissionGroups":[{"id":%d,"name":"CreatePart","family":"Part"}]`, group); !strings.Contains(r.Raw, want) || strings.Contains(r.Raw, created.Role.Etag) {
		t.Fatalf("attached: %s, want %s and a new etag", r.Raw, want)
	}
	var team struct{ Team ref }
	run(`mutation($s: ID) { createTeam(input: {name: "Line 1", supervisorId: $s}) { team { id _etag } } }`,
		map[string]any{"s": s.userID(t, admin)}).field(t, "createTeam", &team)
	run(`mutation($t: ID!, $r: ID!, $e: String) { attachRoleToTeam(input: {teamId: $t, roleId: $r, etag: $e}) { team { id } } }`,
		map[string]any{"t": team.Team.ID, "r": role, "e": team.Team.Etag})
	denied("W-2")
	membership := map[string]any{"t": team.Team.ID, "u": workerID}
	r = run(`mutation($t: ID!, $u: ID!) { addUserToTeam(input: {teamId: $t, userId: $u}) { teamId userId } }`, membership)
	if want := fmt.Sprintf(`{"teamId":%d,"userId":%d}`, team.Team.ID, workerID); !strings.Contains(r.Raw, want) {
		t.Fatalf("addUserToTeam: %s, want %s", r.Raw, want)
	}
	allowed("W-3") // the same token: permissions are read on every request

	r = run(`{ teams(filters: {name: {eq: "Line 1"}}) { edges { node { name supervisorId roles { name } users { email } } } } }`, nil)
	if want := fmt.Sprintf(`{"name":"Line 1","supervisorId":%d,"roles":[{"name":"Builder"}],"users":[{"email":"worker@%s"}]}`, s.userID(t, admin), org.Domain); !strings.Contains(r.Raw, want) {
		t.Fatalf("teams: %s, want %s", r.Raw, want)
	}

	run(`mutation($t: ID!, $u: ID!) { removeUserFromTeam(input: {teamId: $t, userId: $u}) { teamId } }`, membership)
	denied("W-4")
	grant := map[string]any{"r": role, "u": workerID}
	r = run(`mutation($r: ID!, $u: ID!) { attachRoleToUser(input: {roleId: $r, userId: $u}) { user { roles { name } } } }`, grant)
	if !strings.Contains(r.Raw, `"roles":[{"name":"Builder"}]`) {
		t.Fatalf("attachRoleToUser: %s", r.Raw)
	}
	allowed("W-5")
	r = run(`{ roles(filters: {name: {eq: "Builder"}}) { edges { node { name users { email } } } } }`, nil)
	if !strings.Contains(r.Raw, `"users":[{"email":"worker@`+org.Domain+`"}]`) {
		t.Fatalf("roles: %s", r.Raw)
	}
	run(`mutation($r: ID!, $g: ID!) { detachPermissionGroupFromRole(input: {roleId: $r, permissionGroupId: $g}) { role { id } } }`, map[string]any{"r": role, "g": group})
	denied("W-6")
	run(`mutation($r: ID!, $u: ID!) { detachRoleFromUser(input: {roleId: $r, userId: $u}) { user { id } } }`, grant)
	r = run(`mutation($t: ID!, $r: ID!) { detachRoleFromTeam(input: {teamId: $t, roleId: $r}) { team { roles { id } users { id } } } }`,
		map[string]any{"t": team.Team.ID, "r": role})
	if !strings.Contains(r.Raw, `{"roles":[],"users":[]}`) {
		t.Fatalf("detachRoleFromTeam: %s", r.Raw)
	}
}

// The rules of roles and teams, each refused with its own message and
// nothing changed: system roles, the catalog, unique names, etags, other
// organizations' ids (not found) and the permissions themselves.
func TestRoleAndTeamRules(t *testing.T) {
	s := startServer(t)
	admin, theirAdmin := s.userToken(t, s.Creds.Orgs[0].Users[0].Email), s.userToken(t, s.Creds.Orgs[1].Users[0].Email)
	viewer := s.userToken(t, s.Creds.Orgs[0].Users[1].Email)
	roles, teams, groups := s.ids(t, admin, "roles"), s.ids(t, admin, "teams"), s.ids(t, admin, "permissionGroups")
	theirRoles, theirTeams, theirUser := s.ids(t, theirAdmin, "roles"), s.ids(t, theirAdmin, "teams"), s.userID(t, theirAdmin)
	me := s.userID(t, admin)
	toTeam := `mutation($t: ID!, $r: ID!) { attachRoleToTeam(input: {teamId: $t, roleId: $r}) { team { id } } }`
	toRole := `mutation($r: ID!, $g: ID!) { attachPermissionGroupToRole(input: {roleId: $r, permissionGroupId: $g}) { role { id } } }`
	createRole := `mutation($n: String!) { createRole(input: {name: $n}) { role { id } } }`
	for _, tc := range []struct {
		name, token, query string
		vars               map[string]any
		status             int
		message            string
	}{
		{"Admin to a team", admin, toTeam, map[string]any{"t": teams["Assembly"], "r": roles["Admin"]},
			http.StatusUnprocessableEntity, "Role Admin is a system role: it can be granted to users only, not teams."},
		{"Read-only to a team", admin, toTeam, map[string]any{"t": teams["Assembly"], "r": roles["Read-only"]},
			http.StatusUnprocessableEntity, "Role Read-only is a system role: it can be granted to users only, not teams."},
		{"unknown permission group", admin, toRole, map[string]any{"r": roles["Operator"], "g": 9999},
			http.StatusUnprocessableEntity, "PermissionGroup with id 9999 does not exist."},
		{"system role's permissions", admin, toRole, map[string]any{"r": roles["Read-only"], "g": groups["CreatePart"]},
			http.StatusUnprocessableEntity, "Role Read-only is a system role: its permission groups cannot be changed."},
		{"system role's permissions, detached", admin,
			`mutation($r: ID!, $g: ID!) { detachPermissionGroupFromRole(input: {roleId: $r, permissionGroupId: $g}) { role { id } } }`,
			map[string]any{"r": roles["Admin"], "g": groups["CreatePart"]},
			http.StatusUnprocessableEntity, "Role Admin is a system role: its permission groups cannot be changed."},
		{"duplicate role", admin, createRole, map[string]any{"n": "Operator"}, http.StatusUnprocessableEntity, "Role with name 'Operator' already exists."},
		{"a system role's name", admin, createRole, map[string]any{"n": " Admin "}, http.StatusUnprocessableEntity, "Role with name 'Admin' already exists."},
		{"blank role name", admin, createRole, map[string]any{"n": "  "}, http.StatusUnprocessableEntity, "Role name is required."},
		{"blank team name", admin, `mutation { createTeam(input: {name: ""}) { team { id } } }`, nil,
			http.StatusUnprocessableEntity, "Team name is required."},
		{"duplicate team", admin, `mutation { createTeam(input: {name: "Assembly"}) { team { id } } }`, nil,
			http.StatusUnprocessableEntity, "Team with name 'Assembly' already exists."},
		{"stale etag", admin, `mutation($t: ID!, $r: ID!) { attachRoleToTeam(input: {teamId: $t, roleId: $r, _etag: "stale"}) { team { id } } }`,
			map[string]any{"t": teams["Assembly"], "r": roles["Operator"]}, http.StatusConflict, "Concurrent modification detected — etag mismatch."},
		{"another org's role", admin, toRole, map[string]any{"r": theirRoles["Operator"], "g": groups["CreatePart"]},
			http.StatusNotFound, fmt.Sprintf("Role with id %d not found.", theirRoles["Operator"])},
		{"another org's role to my team", admin, toTeam, map[string]any{"t": teams["Assembly"], "r": theirRoles["Operator"]},
			http.StatusNotFound, fmt.Sprintf("Role with id %d not found.", theirRoles["Operator"])},
		{"another org's user", admin, `mutation($r: ID!, $u: ID!) { attachRoleToUser(input: {roleId: $r, userId: $u}) { user { id } } }`,
			map[string]any{"r": roles["Operator"], "u": theirUser}, http.StatusNotFound, fmt.Sprintf("User with id %d not found.", theirUser)},
		{"another org's team", admin, `mutation($t: ID!, $u: ID!) { addUserToTeam(input: {teamId: $t, userId: $u}) { teamId } }`,
			map[string]any{"t": theirTeams["Assembly"], "u": me}, http.StatusNotFound, fmt.Sprintf("Team with id %d not found.", theirTeams["Assembly"])},
		{"another org's supervisor", admin, `mutation($s: ID) { createTeam(input: {name: "Night shift", supervisorId: $s}) { team { id } } }`,
			map[string]any{"s": theirUser}, http.StatusNotFound, fmt.Sprintf("User with id %d not found.", theirUser)},
		{"Read-only creates a role", viewer, createRole, map[string]any{"n": "Mine"},
			http.StatusForbidden, "User does not have permission to perform CREATE on Role."},
		{"Read-only joins a team", viewer, `mutation($t: ID!, $u: ID!) { addUserToTeam(input: {teamId: $t, userId: $u}) { teamId } }`,
			map[string]any{"t": teams["Assembly"], "u": s.userID(t, viewer)}, http.StatusForbidden, "User does not have permission to perform UPDATE on Team."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.rolesAndTeams(t, admin) + s.rolesAndTeams(t, theirAdmin)
			s.gql(t, tc.token, tc.query, tc.vars).wantError(t, http.StatusOK, tc.status, tc.message)
			if after := s.rolesAndTeams(t, admin) + s.rolesAndTeams(t, theirAdmin); after != before {
				t.Fatalf("a refused mutation wrote:\n%s\n%s", before, after)
			}
		})
	}
}

// rolesAndTeams is everything of an organization's roles and teams.
func (s *testServer) rolesAndTeams(t *testing.T, token string) string {
	t.Helper()
	r := s.gql(t, token, `{ roles(first: 50) { edges { node { id _etag name permissionGroups { id } users { id } } } }
		teams(first: 50) { edges { node { id _etag name supervisorId roles { id } users { id } } } } }`, nil).must(t)
	return string(r.Data["roles"]) + string(r.Data["teams"])
}

// permissionGroups is ION's catalog, with ION's own ids, filtered, sorted and
// paged as every list.
func TestPermissionGroups(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, "Read-only")
	type group struct {
		ID           int64
		Name, Family string
	}
	list := func(args string) (groups []group, total int) {
		t.Helper()
		var conn struct {
			Edges    []struct{ Node group }
			PageInfo struct{ TotalCount int }
		}
		s.gql(t, tok, "{ permissionGroups"+args+" { edges { node { id name family } } pageInfo { totalCount } } }", nil).must(t).field(t, "permissionGroups", &conn)
		for _, e := range conn.Edges {
			groups = append(groups, e.Node)
		}
		return groups, conn.PageInfo.TotalCount
	}
	all, total := list("")
	if total != 301 || len(all) != 301 || all[0] != (group{126, "CreateAPIKey", "APIKeyObject"}) ||
		!slices.Contains(all, group{133, "CreatePart", "Part"}) || all[300].ID != 426 {
		t.Fatalf("catalog: %d groups, first %+v", total, all[0])
	}
	team, total := list(`(filters: {family: {eq: "Team"}}, sort: [NAME_DESC], first: 2)`)
	if total != 7 || fmt.Sprint(team) != fmt.Sprint([]group{{409, "UpdateTeam", "Team"}, {206, "RemoveUserFromTeam", "Team"}}) {
		t.Fatalf("Team family: %d %+v", total, team)
	}
	like, _ := list(`(filters: {name: {ilike: "%toteam"}})`)
	if fmt.Sprint(like) != fmt.Sprint([]group{{205, "AddUserToTeam", "Team"}, {207, "AttachRoleToTeam", "Team"}}) {
		t.Fatalf("ilike: %+v", like)
	}
	s.gql(t, tok, `{ permissionGroups(filters: {verb: {eq: "x"}}) { edges { node { id } } } }`, nil).
		wantError(t, http.StatusOK, http.StatusBadRequest, `Field "verb" is not defined by type "PermissionGroupsInputFilters".`)
}

// The role and team commands act as a person of the organization, under
// their permissions, through the same rules as the API.
func TestRoleAndTeamCommands(t *testing.T) {
	s := startServer(t)
	org := s.Creds.Orgs[0]
	admin, viewer, worker := org.Users[0].Email, org.Users[1].Email, "worker@"+org.Domain
	s.operator(t, "user", "create", "--org", org.Domain, "--email", worker, "--role", "")
	tok := s.userToken(t, worker)
	if out := s.operator(t, "role", "create", "--as", admin, "--name", "Inspector"); !strings.HasPrefix(out, "role ") || !strings.HasSuffix(out, " Inspector\n") {
		t.Fatalf("role create printed %q", out)
	}
	s.operator(t, "role", "grant", "--as", admin, "--name", "Inspector", "--permission", "CreatePart")
	if out := s.operator(t, "team", "create", "--as", admin, "--name", "QA", "--supervisor", admin); !strings.HasSuffix(out, " QA\n") {
		t.Fatalf("team create printed %q", out)
	}
	s.operator(t, "team", "attach-role", "--as", admin, "--name", "QA", "--role", "Inspector")
	s.gql(t, tok, createPart, map[string]any{"n": "Q-1"}).wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Part.")
	s.operator(t, "team", "add-user", "--as", admin, "--name", "QA", "--email", worker)
	s.gql(t, tok, createPart, map[string]any{"n": "Q-2"}).must(t)
	s.operator(t, "role", "attach-user", "--as", admin, "--name", "Operator", "--email", worker)
	r := s.gql(t, tok, `{ me { roles { name } } }`, nil).must(t)
	if !strings.Contains(r.Raw, `"roles":[{"name":"Operator"}]`) {
		t.Fatalf("roles: %s", r.Raw)
	}

	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"role", "create", "--as", viewer, "--name", "Mine"}, "User does not have permission to perform CREATE on Role."},
		{[]string{"team", "attach-role", "--as", admin, "--name", "QA", "--role", "Admin"}, "Role Admin is a system role: it can be granted to users only, not teams."},
		{[]string{"role", "grant", "--as", admin, "--name", "Inspector", "--permission", "FlyToTheMoon"}, `no permission group named "FlyToTheMoon"`},
		{[]string{"team", "add-user", "--as", admin, "--name", "Nobody", "--email", worker}, `no team named "Nobody"`},
		{[]string{"role", "create", "--name", "Mine"}, "role create: --as required"},
		{[]string{"team", "add-user", "--as", admin}, "team add-user: --name, --email required"},
		{[]string{"team", "disband", "--as", admin}, `team: unknown command "disband"`},
	} {
		err := run(t.Context(), append(tc.args, s.storeArgs...), func(string) string { return "" }, io.Discard, io.Discard)
		if err == nil || err.Error() != tc.err {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.err)
		}
	}
}
