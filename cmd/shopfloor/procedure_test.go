package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// procedureRef is a procedure's id and current etag.
type procedureRef struct {
	ID       int64  `json:"id"`
	Etag     string `json:"_etag"`
	Status   string `json:"status"`
	FamilyID int64  `json:"familyId"`
	Title    string `json:"title"`
}

const procedureSelection = `id _etag status familyId title`

func newProcedure(t *testing.T, s *testServer, tok string) procedureRef {
	t.Helper()
	var out struct{ Procedure procedureRef }
	s.gql(t, tok, `mutation($title: String!) { createProcedure(title: $title, type: BUILD) { procedure { `+procedureSelection+` } } }`,
		map[string]any{"title": unique("Procedure")}).must(t).field(t, "createProcedure", &out)
	return out.Procedure
}

func readProcedure(t *testing.T, s *testServer, tok string, id int64) procedureRef {
	t.Helper()
	var p procedureRef
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { `+procedureSelection+` } }`, map[string]any{"id": id}).must(t).field(t, "procedure", &p)
	return p
}

func setStatus(t *testing.T, s *testServer, tok string, p procedureRef, status string) gqlResponse {
	t.Helper()
	return s.gql(t, tok, `mutation($id: ID!, $etag: String, $status: Procedurestatusenum) {
		updateProcedure(input: {id: $id, etag: $etag, status: $status}) { procedure { `+procedureSelection+` } } }`,
		map[string]any{"id": p.ID, "etag": p.Etag, "status": status})
}

func mustStatus(t *testing.T, s *testServer, tok string, p procedureRef, status string) procedureRef {
	t.Helper()
	var out struct{ Procedure procedureRef }
	setStatus(t, s, tok, p, status).must(t).field(t, "updateProcedure", &out)
	if out.Procedure.Status != status {
		t.Fatalf("status %s, want %s", out.Procedure.Status, status)
	}
	return out.Procedure
}

func review(t *testing.T, s *testServer, tok string, id int64) gqlResponse {
	t.Helper()
	return s.gql(t, tok, `mutation($id: ID!) { createReview(input: {procedureId: $id}) { review { id roleIds } } }`, map[string]any{"id": id})
}

// procedureIn moves a new procedure to status along the machine, with the
// approval the demo organization requires (one Admin) before a release.
func procedureIn(t *testing.T, s *testServer, tok, status string) procedureRef {
	t.Helper()
	p := newProcedure(t, s, tok)
	path := map[string][]string{
		shopfloor.ProcedureDraft:    nil,
		shopfloor.ProcedureInReview: {shopfloor.ProcedureInReview},
		shopfloor.ProcedureReleased: {shopfloor.ProcedureInReview, shopfloor.ProcedureReleased},
		shopfloor.ProcedureArchived: {shopfloor.ProcedureInReview, shopfloor.ProcedureReleased, shopfloor.ProcedureArchived},
	}[status]
	for _, next := range path {
		if next == shopfloor.ProcedureReleased {
			review(t, s, tok, p.ID).must(t)
		}
		p = mustStatus(t, s, tok, p, next)
	}
	return p
}

// Every status change, allowed and refused, with the exact message; a
// refused change leaves the procedure as it was.
func TestProcedureStatusMachine(t *testing.T) { onEngines(t, testProcedureStatusMachine) }

func testProcedureStatusMachine(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	allowed := map[[2]string]bool{
		{"DRAFT", "IN_REVIEW"}: true, {"DRAFT", "ARCHIVED"}: true,
		{"IN_REVIEW", "DRAFT"}: true, {"IN_REVIEW", "RELEASED"}: true,
		{"RELEASED", "ARCHIVED"}: true,
	}
	allowedFrom := map[string]string{"DRAFT": "IN_REVIEW, ARCHIVED", "IN_REVIEW": "DRAFT, RELEASED", "RELEASED": "ARCHIVED", "ARCHIVED": "none: it is final"}
	for _, from := range shopfloor.ProcedureStatuses {
		for _, to := range shopfloor.ProcedureStatuses {
			t.Run(from+"→"+to, func(t *testing.T) {
				t.Parallel()
				p := procedureIn(t, s, tok, from)
				if from == shopfloor.ProcedureInReview && to == shopfloor.ProcedureReleased {
					review(t, s, tok, p.ID).must(t)
				}
				r := setStatus(t, s, tok, p, to)
				if from == to || allowed[[2]string{from, to}] {
					var out struct{ Procedure procedureRef }
					r.must(t).field(t, "updateProcedure", &out)
					if out.Procedure.Status != to || out.Procedure.Etag == p.Etag {
						t.Fatalf("%s → %s: %+v", from, to, out.Procedure)
					}
					return
				}
				r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
					fmt.Sprintf("Procedure status cannot change from %s to %s; allowed from %s: %s.", from, to, from, allowedFrom[from]))
				if got := readProcedure(t, s, tok, p.ID); got != p {
					t.Fatalf("a refused change changed the procedure: %+v, was %+v", got, p)
				}
			})
		}
	}
	t.Run("unknown status", func(t *testing.T) {
		t.Parallel()
		p := newProcedure(t, s, tok)
		setStatus(t, s, tok, p, "PUBLISHED").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
			"Variable $status must be one of DRAFT, IN_REVIEW, RELEASED, ARCHIVED.")
	})
	t.Run("return to draft withdraws the reviews", func(t *testing.T) {
		t.Parallel()
		p := procedureIn(t, s, tok, shopfloor.ProcedureInReview)
		review(t, s, tok, p.ID).must(t)
		p = mustStatus(t, s, tok, p, shopfloor.ProcedureDraft)
		p = mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
		setStatus(t, s, tok, p, shopfloor.ProcedureReleased).wantError(t, http.StatusOK, http.StatusForbidden,
			fmt.Sprintf("Approval gate not satisfied: releasing procedure %d still needs 1 of 1 approvals from role 'Admin'.", p.ID))
	})
	t.Run("reviews only in review", func(t *testing.T) {
		t.Parallel()
		p := newProcedure(t, s, tok)
		review(t, s, tok, p.ID).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Review procedureId must name a procedure IN_REVIEW; it is DRAFT.")
	})
}

// A release needs the approvals the organization configured: the contract's
// approval-gate 403 names each missing one until reviewers holding the
// roles have approved; an approver counts once; a reviewer needs the
// CreateReview permission.
func TestProcedureApprovalGate(t *testing.T) { onBothEngines(t, testProcedureApprovalGate) }

func testProcedureApprovalGate(t *testing.T, s *testServer) {
	org := s.Creds.Orgs[0]
	admin := s.token(t, 0, shopfloor.RoleAdmin)
	adminEmail := s.demoUser(t, 0, shopfloor.RoleAdmin).Email
	s.operator(t, "role", "create", "--as", adminEmail, "--name", "Quality")
	s.operator(t, "role", "grant", "--as", adminEmail, "--name", "Quality", "--permission", "CreateReview")
	var reviewers []string
	for _, name := range []string{"qe1", "qe2"} {
		email := name + "@" + org.Domain
		s.operator(t, "user", "create", "--org", org.Domain, "--email", email, "--role", "Quality")
		reviewers = append(reviewers, s.userToken(t, email))
	}
	var roles struct {
		Edges []struct{ Node struct{ ID int64 } }
	}
	s.gql(t, admin, `{ roles(filters: {name: {eq: "Quality"}}) { edges { node { id } } } }`, nil).must(t).field(t, "roles", &roles)
	var required struct {
		ApprovalRole struct {
			ID    int64
			Count int
		}
	}
	s.gql(t, admin, `mutation($roleId: ID!) { createProcedureApprovalRole(input: {roleId: $roleId, count: 2}) { approvalRole { id count } } }`,
		map[string]any{"roleId": roles.Edges[0].Node.ID}).must(t).field(t, "createProcedureApprovalRole", &required)

	p := procedureIn(t, s, admin, shopfloor.ProcedureInReview)
	gate := func(missing string) {
		t.Helper()
		setStatus(t, s, admin, p, shopfloor.ProcedureReleased).wantError(t, http.StatusOK, http.StatusForbidden,
			fmt.Sprintf("Approval gate not satisfied: releasing procedure %d still needs %s.", p.ID, missing))
		if got := readProcedure(t, s, admin, p.ID); got != p {
			t.Fatalf("a refused release changed the procedure: %+v", got)
		}
	}
	gate("1 of 1 approvals from role 'Admin', 2 of 2 approvals from role 'Quality'")
	review(t, s, s.token(t, 0, shopfloor.RoleReadOnly), p.ID).wantError(t, http.StatusOK, http.StatusForbidden,
		"User does not have permission to perform CREATE on Review.")
	review(t, s, admin, p.ID).must(t)
	gate("2 of 2 approvals from role 'Quality'")
	review(t, s, reviewers[0], p.ID).must(t)
	review(t, s, reviewers[0], p.ID).must(t) // the same approver again counts once
	gate("1 of 2 approvals from role 'Quality'")
	review(t, s, reviewers[1], p.ID).must(t)
	p = mustStatus(t, s, admin, p, shopfloor.ProcedureReleased)
	var reviews struct {
		Reviews []struct{ CreatedByID int64 }
	}
	s.gql(t, admin, `query($id: ID!) { procedure(id: $id) { reviews { createdById } } }`, map[string]any{"id": p.ID}).must(t).field(t, "procedure", &reviews)
	if len(reviews.Reviews) != 4 {
		t.Fatalf("reviews: %+v", reviews)
	}
}

// createStepQuery makes a step under a procedure and an optional parent.
const createStepQuery = `mutation($p: ID, $parent: ID, $title: String) {
	createStep(input: {procedureId: $p, parentId: $parent, title: $title}) { step { id _etag position positionPath } } }`

type stepRef struct {
	ID           int64  `json:"id"`
	Etag         string `json:"_etag"`
	Position     int    `json:"position"`
	PositionPath string `json:"positionPath"`
}

func newStep(t *testing.T, s *testServer, tok string, procedureID int64, parent *int64) stepRef {
	t.Helper()
	var out struct{ Step stepRef }
	s.gql(t, tok, createStepQuery, map[string]any{"p": procedureID, "parent": parent, "title": unique("Step")}).must(t).field(t, "createStep", &out)
	return out.Step
}

// Steps nest 5 levels deep and no deeper, creating or copying; positions
// count from 0 among siblings, in dot notation from the top.
func TestStepNesting(t *testing.T) { onEngines(t, testStepNesting) }

func testStepNesting(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	newStep(t, s, tok, p.ID, nil)
	second := newStep(t, s, tok, p.ID, nil)
	if second.Position != 1 || second.PositionPath != "1" {
		t.Fatalf("second top-level step: %+v", second)
	}
	chain := []stepRef{second}
	for depth := 2; depth <= shopfloor.StepMaxDepth; depth++ {
		parent := chain[len(chain)-1].ID
		if depth == 3 {
			newStep(t, s, tok, p.ID, &parent) // a sibling first: the chain goes on at position 1
		}
		chain = append(chain, newStep(t, s, tok, p.ID, &parent))
	}
	if got := chain[4].PositionPath; got != "1.0.1.0.0" {
		t.Fatalf("deepest step's path %q, want 1.0.1.0.0", got)
	}
	deepest := chain[4].ID
	s.gql(t, tok, createStepQuery, map[string]any{"p": p.ID, "parent": deepest, "title": "Too deep"}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		"Step parentId would nest steps 6 levels deep; at most 5 are allowed.")
	// Copying chain[3] (two levels) under chain[3] (depth 4) would reach 6.
	s.gql(t, tok, `mutation($step: ID!, $p: ID, $parent: ID) { copyStep(input: {stepId: $step, procedureId: $p, parentId: $parent}) { step { id } } }`,
		map[string]any{"step": chain[3].ID, "p": p.ID, "parent": chain[3].ID}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		"Step parentId would nest steps 6 levels deep; at most 5 are allowed.")
	var copied struct {
		Step struct {
			ID           int64
			PositionPath string
			OriginStepID int64
			Steps        []struct{ PositionPath string }
		}
	}
	s.gql(t, tok, `mutation($step: ID!, $p: ID, $parent: ID) { copyStep(input: {stepId: $step, procedureId: $p, parentId: $parent}) {
		step { id positionPath originStepId steps { positionPath } } } }`,
		map[string]any{"step": chain[3].ID, "p": p.ID, "parent": chain[2].ID}).must(t).field(t, "copyStep", &copied)
	if copied.Step.PositionPath != "1.0.1.1" || copied.Step.OriginStepID != chain[3].ID || len(copied.Step.Steps) != 1 || copied.Step.Steps[0].PositionPath != "1.0.1.1.0" {
		t.Fatalf("copy: %+v", copied.Step)
	}
	var tree struct {
		Steps []struct {
			PositionPath string
			Steps        []struct{ PositionPath string }
		}
	}
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { steps { positionPath steps { positionPath } } } }`, map[string]any{"id": p.ID}).must(t).field(t, "procedure", &tree)
	if len(tree.Steps) != 2 || tree.Steps[1].PositionPath != "1" || len(tree.Steps[1].Steps) != 1 || tree.Steps[1].Steps[0].PositionPath != "1.0" {
		t.Fatalf("tree: %+v", tree)
	}
	// Deleting a step deletes what is under it and closes the gap.
	first := newStep(t, s, tok, p.ID, nil)
	s.gql(t, tok, `mutation($id: ID!, $etag: String!) { deleteStep(id: $id, etag: $etag) { id } }`, map[string]any{"id": second.ID, "etag": second.Etag}).must(t)
	var after struct {
		Steps []struct{ ID, Position int64 }
	}
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { steps { id position } } }`, map[string]any{"id": p.ID}).must(t).field(t, "procedure", &after)
	if len(after.Steps) != 2 || after.Steps[1].ID != first.ID || after.Steps[1].Position != 1 {
		t.Fatalf("after delete: %+v", after)
	}
	s.gql(t, tok, `query($id: ID!) { step(id: $id) { id } }`, map[string]any{"id": deepest}).wantError(t, http.StatusOK, http.StatusNotFound,
		fmt.Sprintf("Step with id %d not found.", deepest))
}

const createEdgeQuery = `mutation($stepId: ID!, $upstreamStepId: ID!) {
	createStepEdge(input: {stepId: $stepId, upstreamStepId: $upstreamStepId}) { stepEdge { id _etag stepId upstreamStepId } } }`

// Dependencies join steps of one procedure and never close a cycle.
func TestStepEdges(t *testing.T) { onEngines(t, testStepEdges) }

func testStepEdges(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	a, b, c := newStep(t, s, tok, p.ID, nil), newStep(t, s, tok, p.ID, nil), newStep(t, s, tok, p.ID, nil)
	edge := func(step, upstream int64) gqlResponse {
		return s.gql(t, tok, createEdgeQuery, map[string]any{"stepId": step, "upstreamStepId": upstream})
	}
	edge(b.ID, a.ID).must(t)
	edge(c.ID, b.ID).must(t)
	invalid := func(r gqlResponse, msg string) {
		t.Helper()
		r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, msg)
	}
	invalid(edge(a.ID, c.ID), fmt.Sprintf("StepEdge upstreamStepId would make a cycle: step %d already depends on step %d.", c.ID, a.ID))
	invalid(edge(a.ID, b.ID), fmt.Sprintf("StepEdge upstreamStepId would make a cycle: step %d already depends on step %d.", b.ID, a.ID))
	invalid(edge(a.ID, a.ID), "StepEdge upstreamStepId must not be the step itself.")
	invalid(edge(b.ID, a.ID), fmt.Sprintf("StepEdge upstreamStepId %d is already upstream of step %d.", a.ID, b.ID))
	other := newStep(t, s, tok, newProcedure(t, s, tok).ID, nil)
	invalid(edge(a.ID, other.ID), "StepEdge upstreamStepId must be a step of the same procedure.")
	var read struct {
		Steps []struct {
			ID                                 int64
			UpstreamStepIds, DownstreamStepIds []int64
		}
	}
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { steps { id upstreamStepIds downstreamStepIds } } }`, map[string]any{"id": p.ID}).must(t).field(t, "procedure", &read)
	want := fmt.Sprintf("[{%d [] [%d]} {%d [%d] [%d]} {%d [%d] []}]", a.ID, b.ID, b.ID, a.ID, c.ID, c.ID, b.ID)
	if got := fmt.Sprint(read.Steps); got != want {
		t.Fatalf("dependencies %s, want %s", got, want)
	}
}

// Nothing of a procedure that is not a draft can change: every edit is the
// 422 naming its status, and changes nothing; a new version is a draft
// copy that can.
func TestReleasedProcedureIsReadOnly(t *testing.T) {
	onEngines(t, testReleasedProcedureIsReadOnly)
}

func testReleasedProcedureIsReadOnly(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	top := newStep(t, s, tok, p.ID, nil)
	under := newStep(t, s, tok, p.ID, &top.ID)
	var field struct {
		StepField struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	s.gql(t, tok, `mutation($step: ID!) { createStepField(input: {stepId: $step, name: "Serial", type: STRING}) { stepField { id _etag } } }`,
		map[string]any{"step": under.ID}).must(t).field(t, "createStepField", &field)
	var col struct{ DatagridColumn struct{ ID int64 } }
	s.gql(t, tok, `mutation($step: ID!) { createDatagridColumn(input: {stepId: $step, header: "Torque", type: NUMBER}) { datagridColumn { id } } }`,
		map[string]any{"step": top.ID}).must(t).field(t, "createDatagridColumn", &col)
	var row struct{ DatagridRow struct{ ID int64 } }
	s.gql(t, tok, `mutation($step: ID!) { createDatagridRow(input: {stepId: $step, index: 0}) { datagridRow { id } } }`,
		map[string]any{"step": top.ID}).must(t).field(t, "createDatagridRow", &row)
	second := newStep(t, s, tok, p.ID, nil)
	var edge struct {
		StepEdge struct {
			ID   int64
			Etag string `json:"_etag"`
		}
	}
	s.gql(t, tok, createEdgeQuery, map[string]any{"stepId": second.ID, "upstreamStepId": top.ID}).must(t).field(t, "createStepEdge", &edge)
	s.gql(t, tok, `mutation($row: ID!, $col: ID!) { setDatagridValue(input: {rowId: $row, columnId: $col, value: "12.5"}) { datagridValue { value } } }`,
		map[string]any{"row": row.DatagridRow.ID, "col": col.DatagridColumn.ID}).must(t)

	mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
	review(t, s, tok, p.ID).must(t)
	p = mustStatus(t, s, tok, readProcedure(t, s, tok, p.ID), shopfloor.ProcedureReleased)
	// steps' etags are unchanged by the release
	whole := `query($id: ID!) { procedure(id: $id) { _etag title status steps { _etag title steps { _etag title fields { _etag name } }
		datagridRows { edges { node { values { value } } } } datagridColumns { totalCount } upstreamStepIds } } }`
	before := dataOf(t, s.gql(t, tok, whole, map[string]any{"id": p.ID}).must(t))
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
	}{
		{"updateProcedure", `mutation($id: ID!, $etag: String) { updateProcedure(input: {id: $id, etag: $etag, title: "Changed"}) { procedure { id } } }`,
			map[string]any{"id": p.ID, "etag": p.Etag}},
		{"createStep", createStepQuery, map[string]any{"p": p.ID, "title": "More"}},
		{"createStep nested", createStepQuery, map[string]any{"p": p.ID, "parent": top.ID, "title": "More"}},
		{"updateStep", `mutation($id: ID!, $etag: String) { updateStep(input: {id: $id, etag: $etag, slateContent: [{text: "x"}]}) { step { id } } }`,
			map[string]any{"id": under.ID, "etag": under.Etag}},
		{"deleteStep", `mutation($id: ID!, $etag: String!) { deleteStep(id: $id, etag: $etag) { id } }`, map[string]any{"id": under.ID, "etag": under.Etag}},
		{"updateStep move", moveStepQuery, map[string]any{"id": under.ID, "etag": under.Etag, "parentId": nil}},
		{"copyStep into it", `mutation($step: ID!, $p: ID) { copyStep(input: {stepId: $step, procedureId: $p}) { step { id } } }`,
			map[string]any{"step": top.ID, "p": p.ID}},
		{"createStepField", `mutation($step: ID!) { createStepField(input: {stepId: $step, name: "More", type: STRING}) { stepField { id } } }`,
			map[string]any{"step": under.ID}},
		{"updateStepField", `mutation($id: ID!, $etag: String!) { updateStepField(input: {id: $id, etag: $etag, name: "x"}) { stepField { id } } }`,
			map[string]any{"id": field.StepField.ID, "etag": field.StepField.Etag}},
		{"deleteStepField", `mutation($id: ID!, $etag: String!) { deleteStepField(id: $id, etag: $etag) { id } }`,
			map[string]any{"id": field.StepField.ID, "etag": field.StepField.Etag}},
		{"createStepEdge", createEdgeQuery, map[string]any{"stepId": under.ID, "upstreamStepId": second.ID}},
		{"deleteStepEdge", `mutation($id: ID!, $etag: String!) { deleteStepEdge(id: $id, etag: $etag) { id } }`,
			map[string]any{"id": edge.StepEdge.ID, "etag": edge.StepEdge.Etag}},
		{"createDatagridColumn", `mutation($step: ID!) { createDatagridColumn(input: {stepId: $step, header: "More"}) { datagridColumn { id } } }`,
			map[string]any{"step": top.ID}},
		{"createDatagridRow", `mutation($step: ID!) { createDatagridRow(input: {stepId: $step}) { datagridRow { id } } }`, map[string]any{"step": top.ID}},
		{"setDatagridValue", `mutation($row: ID!, $col: ID!) { setDatagridValue(input: {rowId: $row, columnId: $col, value: 3}) { datagridValue { id } } }`,
			map[string]any{"row": row.DatagridRow.ID, "col": col.DatagridColumn.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tok, tc.query, tc.vars).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
				"Procedure status is RELEASED: only a DRAFT procedure can be edited.")
		})
	}
	s.gql(t, tok, `mutation($id: ID!, $etag: String!) { deleteProcedure(id: $id, etag: $etag) { id } }`, map[string]any{"id": p.ID, "etag": p.Etag}).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Procedure status is RELEASED: only a DRAFT procedure can be deleted; archive it instead.")
	if after := dataOf(t, s.gql(t, tok, whole, map[string]any{"id": p.ID}).must(t)); after != before {
		t.Fatalf("refused edits changed the procedure:\n%s\n%s", before, after)
	}

	// The next version: a draft of the same family with a copy of the tree.
	version := `mutation($id: ID!) { createProcedureVersion(input: {procedureId: $id}) { procedure { ` + procedureSelection + ` version } } }`
	var next struct {
		Procedure struct {
			procedureRef
			Version int
		}
	}
	s.gql(t, tok, version, map[string]any{"id": p.ID}).must(t).field(t, "createProcedureVersion", &next)
	if next.Procedure.FamilyID != p.FamilyID || next.Procedure.Version != 2 || next.Procedure.Status != shopfloor.ProcedureDraft {
		t.Fatalf("new version: %+v", next.Procedure)
	}
	copied := dataOf(t, s.gql(t, tok, whole, map[string]any{"id": next.Procedure.ID}).must(t))
	strip := func(raw string) string { return stripKeys(t, raw, "_etag", "status", "upstreamStepIds") }
	if strip(copied) != strip(before) {
		t.Fatalf("the new version is not a copy:\n%s\n%s", before, copied)
	}
	s.gql(t, tok, version, map[string]any{"id": p.ID}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("Procedure familyId %d already has an open version (procedure %d); release or archive it first.", p.FamilyID, next.Procedure.ID))
	newStep(t, s, tok, next.Procedure.ID, nil)
}

// Every update and delete under procedures checks the etag: a stale one is
// the contract's 409 and changes nothing.
func TestProcedureEtagConflicts(t *testing.T) { onEngines(t, testProcedureEtagConflicts) }

func testProcedureEtagConflicts(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	step := newStep(t, s, tok, p.ID, nil)
	after := newStep(t, s, tok, p.ID, nil)
	var field struct{ StepField struct{ ID int64 } }
	s.gql(t, tok, `mutation($step: ID!) { createStepField(input: {stepId: $step, name: "Serial", type: STRING}) { stepField { id } } }`,
		map[string]any{"step": step.ID}).must(t).field(t, "createStepField", &field)
	var edge struct{ StepEdge struct{ ID int64 } }
	s.gql(t, tok, createEdgeQuery, map[string]any{"stepId": after.ID, "upstreamStepId": step.ID}).must(t).field(t, "createStepEdge", &edge)
	var label struct{ Label struct{ ID int64 } }
	s.gql(t, tok, `mutation($v: String!) { createLabel(input: {value: $v}) { label { id } } }`, map[string]any{"v": unique("Label")}).must(t).field(t, "createLabel", &label)
	whole := `query($id: ID!) { procedure(id: $id) { _etag title steps { _etag title fields { _etag name } upstreamStepIds } } labels { edges { node { _etag value } } } }`
	before := dataOf(t, s.gql(t, tok, whole, map[string]any{"id": p.ID}).must(t))
	const stale = "00000000000000000000000000000000"
	for _, tc := range []struct {
		name, query string
		id          int64
	}{
		{"updateProcedure", `mutation($id: ID!, $etag: String) { updateProcedure(input: {id: $id, etag: $etag, title: "x"}) { procedure { id } } }`, p.ID},
		{"updateProcedure status", `mutation($id: ID!, $etag: String) { updateProcedure(input: {id: $id, etag: $etag, status: IN_REVIEW}) { procedure { id } } }`, p.ID},
		{"deleteProcedure", `mutation($id: ID!, $etag: String!) { deleteProcedure(id: $id, etag: $etag) { id } }`, p.ID},
		{"updateStep", `mutation($id: ID!, $etag: String) { updateStep(input: {id: $id, etag: $etag, title: "x"}) { step { id } } }`, step.ID},
		{"deleteStep", `mutation($id: ID!, $etag: String!) { deleteStep(id: $id, etag: $etag) { id } }`, step.ID},
		{"updateStepField", `mutation($id: ID!, $etag: String!) { updateStepField(input: {id: $id, etag: $etag, name: "x"}) { stepField { id } } }`, field.StepField.ID},
		{"deleteStepField", `mutation($id: ID!, $etag: String!) { deleteStepField(id: $id, etag: $etag) { id } }`, field.StepField.ID},
		{"deleteStepEdge", `mutation($id: ID!, $etag: String!) { deleteStepEdge(id: $id, etag: $etag) { id } }`, edge.StepEdge.ID},
		{"deleteLabel", `mutation($id: ID!, $etag: String!) { deleteLabel(id: $id, etag: $etag) { id } }`, label.Label.ID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tok, tc.query, map[string]any{"id": tc.id, "etag": stale}).wantError(t, http.StatusOK, http.StatusConflict,
				"Concurrent modification detected — etag mismatch.")
		})
	}
	if got := dataOf(t, s.gql(t, tok, whole, map[string]any{"id": p.ID}).must(t)); got != before {
		t.Fatalf("stale writes changed data:\n%s\n%s", before, got)
	}
}

// Field types and values are checked: a datagrid cell is typed by its
// column, a select has options, and a SIGNOFF cell names its signer.
func TestDatagridValues(t *testing.T) { onEngines(t, testDatagridValues) }

func testDatagridValues(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	step := newStep(t, s, tok, p.ID, nil)
	column := func(typ string, options any) int64 {
		var out struct{ DatagridColumn struct{ ID int64 } }
		s.gql(t, tok, `mutation($step: ID!, $type: Fieldtypeenum, $options: JSON) { createDatagridColumn(input: {stepId: $step, type: $type, options: $options}) { datagridColumn { id } } }`,
			map[string]any{"step": step.ID, "type": typ, "options": options}).must(t).field(t, "createDatagridColumn", &out)
		return out.DatagridColumn.ID
	}
	var row struct{ DatagridRow struct{ ID int64 } }
	s.gql(t, tok, `mutation($step: ID!) { createDatagridRow(input: {stepId: $step}) { datagridRow { id } } }`, map[string]any{"step": step.ID}).must(t).field(t, "createDatagridRow", &row)
	set := func(col int64, value any) gqlResponse {
		return s.gql(t, tok, `mutation($row: ID!, $col: ID!, $v: JSON) { setDatagridValue(input: {rowId: $row, columnId: $col, value: $v}) {
			datagridValue { type value ionValue { ... on User { email } } } } }`, map[string]any{"row": row.DatagridRow.ID, "col": col, "v": value})
	}
	invalid := func(r gqlResponse, msg string) {
		t.Helper()
		r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, msg)
	}
	number, choice, signoff := column("NUMBER", nil), column("SELECT", []any{"A", "B"}), column("SIGNOFF", nil)
	invalid(set(number, "many"), "DatagridValue value must be a number for a NUMBER column.")
	if got := set(number, "12.5").must(t).Raw; !strings.Contains(got, `"value":12.5`) {
		t.Fatalf("number: %s", got)
	}
	invalid(set(choice, "C"), "DatagridValue value must be one of the column's options for a SELECT column.")
	set(choice, "B").must(t)
	signer := "service-account-" + s.apiKey(t, 0, shopfloor.RoleAdmin).ClientID // the caller: the admin's API key
	if got := set(signoff, true).must(t).Raw; !strings.Contains(got, `"ionValue":{"email":"`+signer+`"}`) {
		t.Fatalf("signoff: %s", got)
	}
	invalid(s.gql(t, tok, `mutation($step: ID!) { createDatagridColumn(input: {stepId: $step, type: MULTISELECT, options: []}) { datagridColumn { id } } }`,
		map[string]any{"step": step.ID}), "DatagridColumn options must be a non-empty list for type MULTISELECT.")
	invalid(s.gql(t, tok, `mutation($step: ID!) { createStepField(input: {stepId: $step, name: "Pick", type: SELECT, options: "A"}) { stepField { id } } }`,
		map[string]any{"step": step.ID}), "StepField options must be a non-empty list for type SELECT.")
	var fields struct {
		Steps []struct{ Fields []struct{ Name string } }
	}
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { steps { fields { name } } } }`, map[string]any{"id": p.ID}).must(t).field(t, "procedure", &fields)
	if len(fields.Steps) != 1 || len(fields.Steps[0].Fields) != 0 {
		t.Fatalf("a refused field was written: %+v", fields)
	}
}

// dataOf is the data of a response as JSON with sorted keys.
func dataOf(t *testing.T, r gqlResponse) string {
	t.Helper()
	out, err := json.Marshal(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// stripKeys removes keys from every object of a JSON document and returns
// it re-encoded, for comparisons that ignore them.
func stripKeys(t *testing.T, raw string, keys ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k := range x {
				if slices.Contains(keys, k) {
					delete(x, k)
				} else {
					x[k] = walk(x[k])
				}
			}
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
