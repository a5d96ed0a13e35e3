package main

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// runFieldRef is a run step field as the tests read it.
type runFieldRef struct {
	ID       int64  `json:"id"`
	Etag     string `json:"_etag"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Value    any    `json:"value"`
	Required bool   `json:"required"`
}

// runStepRef is a run step as the tests read it.
type runStepRef struct {
	ID              int64         `json:"id"`
	Etag            string        `json:"_etag"`
	Title           string        `json:"title"`
	Status          string        `json:"status"`
	Position        int           `json:"position"`
	OriginStepID    *int64        `json:"originStepId"`
	UpstreamStepIDs []int64       `json:"upstreamStepIds"`
	StartedAt       *string       `json:"startedAt"`
	CompletedAt     *string       `json:"completedAt"`
	Fields          []runFieldRef `json:"fields"`
	Steps           []runStepRef  `json:"steps"`
}

// runRef is a run as the tests read it.
type runRef struct {
	ID          int64        `json:"id"`
	Etag        string       `json:"_etag"`
	Title       string       `json:"title"`
	Status      string       `json:"status"`
	Archived    bool         `json:"archived"`
	StartedAt   *string      `json:"startedAt"`
	CompletedAt *string      `json:"completedAt"`
	Steps       []runStepRef `json:"steps"`
}

const (
	runFieldSelection = `id _etag name type value required`
	runStepSelection  = `id _etag title status position originStepId upstreamStepIds startedAt completedAt fields { ` + runFieldSelection + ` }`
	runSelection      = `id _etag title status archived startedAt completedAt steps { ` + runStepSelection + ` steps { ` + runStepSelection + ` } }`
)

// procedureSpec describes a procedure to release: its top-level steps,
// each with fields (name → type; required), children and the steps (by
// index) it depends on.
type procedureSpec struct {
	steps []stepSpec
}

type stepSpec struct {
	fields   []fieldSpec
	children int
	upstream []int
}

type fieldSpec struct {
	typ      string
	required bool
	options  []any
}

// releasedProcedure makes and releases a procedure as spec says; it
// returns the procedure's id and its top-level step ids.
func releasedProcedure(t *testing.T, s *testServer, tok string, spec procedureSpec) (int64, []int64) {
	t.Helper()
	p := newProcedure(t, s, tok)
	var top []int64
	for i, st := range spec.steps {
		step := newStep(t, s, tok, p.ID, nil)
		top = append(top, step.ID)
		for range st.children {
			newStep(t, s, tok, p.ID, &step.ID)
		}
		for j, f := range st.fields {
			s.gql(t, tok, `mutation($step: ID!, $name: String!, $type: Fieldtypeenum, $required: Boolean, $options: JSON) {
				createStepField(input: {stepId: $step, name: $name, type: $type, required: $required, options: $options}) { stepField { id } } }`,
				map[string]any{"step": step.ID, "name": fmt.Sprintf("Field %d.%d", i, j), "type": f.typ, "required": f.required, "options": f.options}).must(t)
		}
		for _, up := range st.upstream {
			s.gql(t, tok, `mutation($s: ID!, $u: ID!) { createStepEdge(input: {stepId: $s, upstreamStepId: $u}) { stepEdge { id } } }`,
				map[string]any{"s": step.ID, "u": top[up]}).must(t)
		}
	}
	p = mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
	review(t, s, tok, p.ID).must(t)
	mustStatus(t, s, tok, p, shopfloor.ProcedureReleased)
	return p.ID, top
}

func createRun(t *testing.T, s *testServer, tok string, procedureID int64) runRef {
	t.Helper()
	var out struct{ Run runRef }
	s.gql(t, tok, `mutation($p: ID!, $title: String) { createRun(input: {procedureId: $p, partInventoryId: null, title: $title}) { run { `+runSelection+` } } }`,
		map[string]any{"p": procedureID, "title": unique("Run")}).must(t).field(t, "createRun", &out)
	return out.Run
}

func readRun(t *testing.T, s *testServer, tok string, id int64) runRef {
	t.Helper()
	var out runRef
	s.gql(t, tok, `query($id: ID!) { run(id: $id) { `+runSelection+` } }`, map[string]any{"id": fmt.Sprint(id)}).must(t).field(t, "run", &out)
	return out
}

const updateRunStepQuery = `mutation UpdateRunStep($input: UpdateRunStepInput!) { updateRunStep(input: $input) { runStep { ` + runStepSelection + ` } } }`

func setStepStatus(t *testing.T, s *testServer, tok string, st runStepRef, status string) gqlResponse {
	t.Helper()
	return s.gql(t, tok, updateRunStepQuery, map[string]any{"input": map[string]any{"id": st.ID, "status": status, "etag": st.Etag}})
}

func mustStepStatus(t *testing.T, s *testServer, tok string, st runStepRef, status string) runStepRef {
	t.Helper()
	var out struct{ RunStep runStepRef }
	setStepStatus(t, s, tok, st, status).must(t).field(t, "updateRunStep", &out)
	if out.RunStep.Status != status {
		t.Fatalf("status %s, want %s", out.RunStep.Status, status)
	}
	return out.RunStep
}

const updateFieldQuery = `mutation UpdateRunStepFieldValue($input: UpdateRunStepFieldValueInput!) {
	updateRunStepFieldValue(input: $input) { runStepField { ` + runFieldSelection + ` } } }`

func setFieldValue(t *testing.T, s *testServer, tok string, f runFieldRef, value any) gqlResponse {
	t.Helper()
	return s.gql(t, tok, updateFieldQuery, map[string]any{"input": map[string]any{"id": f.ID, "value": value, "etag": f.Etag}})
}

// createRun copies the procedure's steps, nested steps, fields and
// dependencies; a later version of the procedure leaves the run as it was.
func TestCreateRunCopiesProcedure(t *testing.T) { onSharedServers(t, testCreateRunCopiesProcedure) }

func testCreateRunCopiesProcedure(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, top := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{
		{fields: []fieldSpec{{typ: "STRING", required: true}, {typ: "NUMBER"}}, children: 2},
		{fields: []fieldSpec{{typ: "BOOLEAN"}}, upstream: []int{0}},
	}})
	run := createRun(t, s, tok, procID)
	if run.Status != shopfloor.RunTodo || len(run.Steps) != 2 || len(run.Steps[0].Steps) != 2 || len(run.Steps[0].Fields) != 2 || len(run.Steps[1].Fields) != 1 {
		t.Fatalf("run not copied whole: %+v", run)
	}
	for i, st := range run.Steps {
		if st.Status != shopfloor.RunTodo || st.Position != i || st.OriginStepID == nil || *st.OriginStepID != top[i] {
			t.Fatalf("step %d: %+v", i, st)
		}
	}
	if f := run.Steps[0].Fields[0]; f.Name != "Field 0.0" || f.Type != "STRING" || !f.Required || f.Value != nil {
		t.Fatalf("field: %+v", f)
	}
	if ups := run.Steps[1].UpstreamStepIDs; len(ups) != 1 || ups[0] != run.Steps[0].ID {
		t.Fatalf("dependency not copied onto the run's steps: %v", ups)
	}
	// A new version of the procedure, changed: the run does not change.
	var v struct{ Procedure procedureRef }
	s.gql(t, tok, `mutation($id: ID!) { createProcedureVersion(input: {procedureId: $id}) { procedure { `+procedureSelection+` } } }`,
		map[string]any{"id": procID}).must(t).field(t, "createProcedureVersion", &v)
	newStep(t, s, tok, v.Procedure.ID, nil)
	if got := readRun(t, s, tok, run.ID); !reflect.DeepEqual(got, run) {
		t.Fatalf("the run changed with the procedure:\n%+v\nwas\n%+v", got, run)
	}

	draft := newProcedure(t, s, tok)
	s.gql(t, tok, `mutation($p: ID!) { createRun(input: {procedureId: $p}) { run { id } } }`, map[string]any{"p": draft.ID}).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Run procedureId names a DRAFT procedure: only a RELEASED procedure can be run.")
	s.gql(t, tok, `mutation { createRun(input: {procedureId: 999999999}) { run { id } } }`, nil).
		wantError(t, http.StatusOK, http.StatusNotFound, "Procedure with id 999999999 not found.")
}
