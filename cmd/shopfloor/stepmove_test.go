package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

const moveStepQuery = `mutation($id: ID!, $etag: String, $parentId: ID, $position: Int) {
	updateStep(input: {id: $id, etag: $etag, parentId: $parentId, position: $position}) { step { id _etag position positionPath parentId } } }`

// stepTree is a procedure's tree as "id@path[upstream ids]" lines, by
// position, with each step's etag.
func stepTree(t *testing.T, s *testServer, tok string, procedureID int64) string {
	t.Helper()
	type node struct {
		ID              int64
		Etag            string `json:"_etag"`
		Position        int
		PositionPath    string
		UpstreamStepIds []int64
		Steps           []node
	}
	var out struct{ Steps []node }
	s.gql(t, tok, `query($id: ID!) { procedure(id: $id) { steps { ...S steps { ...S steps { ...S } } } } }
		fragment S on Step { id _etag position positionPath upstreamStepIds }`, map[string]any{"id": procedureID}).must(t).field(t, "procedure", &out)
	var b strings.Builder
	var walk func([]node)
	walk = func(nodes []node) {
		for i, n := range nodes {
			if n.Position != i {
				t.Fatalf("step %d at position %d, read %d", n.ID, n.Position, i)
			}
			fmt.Fprintf(&b, "%d@%s%v %s\n", n.ID, n.PositionPath, n.UpstreamStepIds, n.Etag)
			walk(n.Steps)
		}
	}
	walk(out.Steps)
	return b.String()
}

// shape is stepTree without the etags.
func shape(tree string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(tree), "\n") {
		out = append(out, strings.Fields(line)[0])
	}
	return strings.Join(out, " ")
}

// updateStep with parentId and position moves a step and what is under it:
// siblings renumber from 0, paths follow, dependencies stay, the nesting
// limit holds; a step never goes under itself; refusals change nothing.
func TestStepMoves(t *testing.T) { onEngines(t, testStepMoves) }

func testStepMoves(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	a, b, c := newStep(t, s, tok, p.ID, nil), newStep(t, s, tok, p.ID, nil), newStep(t, s, tok, p.ID, nil)
	a0, a1 := newStep(t, s, tok, p.ID, &a.ID), newStep(t, s, tok, p.ID, &a.ID)
	s.gql(t, tok, createEdgeQuery, map[string]any{"stepId": c.ID, "upstreamStepId": a.ID}).must(t)
	move := func(st *stepRef, vars map[string]any) {
		t.Helper()
		vars["id"], vars["etag"] = st.ID, st.Etag
		var out struct{ Step stepRef }
		s.gql(t, tok, moveStepQuery, vars).must(t).field(t, "updateStep", &out)
		if out.Step.Etag == st.Etag {
			t.Fatalf("a move kept the step's etag: %+v", out.Step)
		}
		*st = out.Step
	}
	wantShape := func(format string, ids ...any) {
		t.Helper()
		if got, want := shape(stepTree(t, s, tok, p.ID)), fmt.Sprintf(format, ids...); got != want {
			t.Fatalf("tree %s, want %s", got, want)
		}
	}
	wantShape("%d@0[] %d@0.0[] %d@0.1[] %d@1[] %d@2[%d]", a.ID, a0.ID, a1.ID, b.ID, c.ID, a.ID)

	// Among its siblings: C first; A and B shift, keeping their etags.
	before := stepTree(t, s, tok, p.ID)
	move(&c, map[string]any{"position": 0})
	wantShape("%d@0[%d] %d@1[] %d@1.0[] %d@1.1[] %d@2[]", c.ID, a.ID, a.ID, a0.ID, a1.ID, b.ID)
	if after := stepTree(t, s, tok, p.ID); !strings.Contains(after, a.Etag) || !strings.Contains(after, b.Etag) || !strings.Contains(before, a.Etag) {
		t.Fatalf("siblings' etags changed:\n%s\n%s", before, after)
	}
	// Under another parent, at a position: B between A's children.
	move(&b, map[string]any{"parentId": a.ID, "position": 1})
	wantShape("%d@0[%d] %d@1[] %d@1.0[] %d@1.1[] %d@1.2[]", c.ID, a.ID, a.ID, a0.ID, b.ID, a1.ID)
	// To the top level (parentId null), without a position: the end.
	move(&a0, map[string]any{"parentId": nil})
	wantShape("%d@0[%d] %d@1[] %d@1.0[] %d@1.1[] %d@2[]", c.ID, a.ID, a.ID, b.ID, a1.ID, a0.ID)
	// A whole subtree: A (with B and A1) under A0.
	move(&a, map[string]any{"parentId": a0.ID})
	wantShape("%d@0[%d] %d@1[] %d@1.0[] %d@1.0.0[] %d@1.0.1[]", c.ID, a.ID, a0.ID, a.ID, b.ID, a1.ID)

	// Refusals change nothing.
	deep := newStep(t, s, tok, p.ID, nil)
	chain := deep
	for depth := 2; depth <= shopfloor.StepMaxDepth; depth++ {
		chain = newStep(t, s, tok, p.ID, &chain.ID)
	}
	other := newStep(t, s, tok, newProcedure(t, s, tok).ID, nil)
	before = stepTree(t, s, tok, p.ID)
	for _, tc := range []struct {
		name   string
		vars   map[string]any
		status int
		msg    string
	}{
		{"under itself", map[string]any{"id": a.ID, "etag": a.Etag, "parentId": a.ID}, 422, "Step parentId must not be the step itself or a step under it."},
		{"under its child", map[string]any{"id": a0.ID, "etag": a0.Etag, "parentId": b.ID}, 422, "Step parentId must not be the step itself or a step under it."},
		{"past the end", map[string]any{"id": c.ID, "etag": c.Etag, "position": 3}, 422, "Step position must be between 0 and 2."},
		{"past the new siblings", map[string]any{"id": c.ID, "etag": c.Etag, "parentId": a.ID, "position": 3}, 422, "Step position must be between 0 and 2."},
		{"too deep", map[string]any{"id": a.ID, "etag": a.Etag, "parentId": chain.ID}, 422, "Step parentId would nest steps 7 levels deep; at most 5 are allowed."},
		{"another procedure", map[string]any{"id": c.ID, "etag": c.Etag, "parentId": other.ID}, 422, "Step parentId must be a step of the same procedure."},
		{"stale etag", map[string]any{"id": c.ID, "etag": "00000000000000000000000000000000", "position": 1}, 409, "Concurrent modification detected — etag mismatch."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tok, moveStepQuery, tc.vars).wantError(t, http.StatusOK, tc.status, tc.msg)
		})
	}
	if after := stepTree(t, s, tok, p.ID); after != before {
		t.Fatalf("refused moves changed the tree:\n%s\n%s", before, after)
	}
}
