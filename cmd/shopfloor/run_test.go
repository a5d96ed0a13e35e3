package main

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
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

// lightRunSelection is a run's status and its top-level steps' states: what
// tests that make many runs read, within the rate limit.
const lightRunSelection = `id _etag status startedAt completedAt steps { id _etag title status startedAt completedAt }`

func createRun(t *testing.T, s *testServer, tok string, procedureID int64) runRef {
	t.Helper()
	return createRunSelecting(t, s, tok, procedureID, runSelection)
}

func createRunSelecting(t *testing.T, s *testServer, tok string, procedureID int64, selection string) runRef {
	t.Helper()
	var out struct{ Run runRef }
	s.gql(t, tok, `mutation($p: ID!, $title: String) { createRun(input: {procedureId: $p, partInventoryId: null, title: $title}) { run { `+selection+` } } }`,
		map[string]any{"p": procedureID, "title": unique("Run")}).must(t).field(t, "createRun", &out)
	return out.Run
}

func readRun(t *testing.T, s *testServer, tok string, id int64) runRef {
	t.Helper()
	return readRunSelecting(t, s, tok, id, runSelection)
}

func readRunSelecting(t *testing.T, s *testServer, tok string, id int64, selection string) runRef {
	t.Helper()
	var out runRef
	s.gql(t, tok, `query($id: ID!) { run(id: $id) { `+selection+` } }`, map[string]any{"id": fmt.Sprint(id)}).must(t).field(t, "run", &out)
	return out
}

const updateRunStepQuery = `mutation UpdateRunStep($input: UpdateRunStepInput!) { updateRunStep(input: $input) { runStep { id _etag title status startedAt completedAt } } }`

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
func TestCreateRunCopiesProcedure(t *testing.T) { onEngines(t, testCreateRunCopiesProcedure) }

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

// Every transition of the step state machine over HTTP, allowed and
// refused with the exact message, and the run's roll-up after it; a refused
// change leaves the step as it was.
func TestRunStepStateMachine(t *testing.T) { onEngines(t, testRunStepStateMachine) }

func testRunStepStateMachine(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}, {}}})
	path := map[string][]string{
		"TODO": nil, "IN_PROGRESS": {"IN_PROGRESS"}, "HOLD": {"HOLD"}, "REDLINE": {"REDLINE"},
		"FAILED": {"IN_PROGRESS", "FAILED"}, "COMPLETE": {"IN_PROGRESS", "COMPLETE"}, "CANCELED": {"CANCELED"},
	}
	allowed := map[string]string{
		"TODO": "IN_PROGRESS, HOLD, REDLINE, CANCELED", "IN_PROGRESS": "COMPLETE, HOLD, FAILED, REDLINE, CANCELED",
		"HOLD": "TODO, IN_PROGRESS, CANCELED", "REDLINE": "TODO, CANCELED", "FAILED": "REDLINE, HOLD, CANCELED",
		"COMPLETE": "none: it is final", "CANCELED": "none: it is final",
	}
	// The run's status with its first step in to and the second TODO.
	rollup := map[string]string{"IN_PROGRESS": "IN_PROGRESS", "HOLD": "HOLD", "REDLINE": "REDLINE", "FAILED": "FAILED", "COMPLETE": "IN_PROGRESS"}
	for _, from := range shopfloor.RunStepStatuses {
		for _, to := range shopfloor.RunStepStatuses {
			t.Run(from+"→"+to, func(t *testing.T) {
				t.Parallel()
				run := createRunSelecting(t, s, tok, procID, lightRunSelection)
				st := run.Steps[0]
				for _, next := range path[from] {
					st = mustStepStatus(t, s, tok, st, next)
				}
				r := setStepStatus(t, s, tok, st, to)
				if from != to && !strings.Contains(", "+allowed[from]+",", " "+to+",") {
					r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
						fmt.Sprintf("RunStep status cannot change from %s to %s; allowed from %s: %s.", from, to, from, allowed[from]))
					if got := readRunSelecting(t, s, tok, run.ID, lightRunSelection).Steps[0]; !reflect.DeepEqual(got, st) {
						t.Fatalf("a refused change changed the step: %+v, was %+v", got, st)
					}
					return
				}
				var out struct{ RunStep runStepRef }
				r.must(t).field(t, "updateRunStep", &out)
				want, ok := rollup[to]
				if !ok { // TODO, CANCELED: the run is in progress once a step started
					want = map[bool]string{true: "IN_PROGRESS", false: "TODO"}[st.StartedAt != nil]
				}
				got := readRunSelecting(t, s, tok, run.ID, lightRunSelection)
				if got.Steps[0].Status != to || got.Status != want {
					t.Fatalf("step %s, run %s; want %s, %s", got.Steps[0].Status, got.Status, to, want)
				}
				if (to == "IN_PROGRESS") != (got.Steps[0].StartedAt != nil && st.StartedAt == nil) && from != "HOLD" && from != to {
					t.Fatalf("startedAt %v after %s → %s", got.Steps[0].StartedAt, from, to)
				}
			})
		}
	}
}

// A step starts only once its upstream steps are complete, completes only
// with its required fields entered, takes values of its fields' types while
// in progress; its status changes leave its fields' etags alone; the run
// completes with its last step and is read-only from then on.
func TestRunStepDependenciesAndFields(t *testing.T) {
	onEngines(t, testRunStepDependenciesAndFields)
}

func testRunStepDependenciesAndFields(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{
		{fields: []fieldSpec{{typ: "NUMBER", required: true}, {typ: "SELECT", options: []any{"10 mm", "13 mm"}}}},
		{upstream: []int{0}},
	}})
	run := createRun(t, s, tok, procID)
	a, b := run.Steps[0], run.Steps[1]
	torque, size := a.Fields[0], a.Fields[1]

	setStepStatus(t, s, tok, b, "IN_PROGRESS").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("RunStep status cannot be IN_PROGRESS: upstream step %d (%s) is TODO, not COMPLETE.", a.ID, a.Title))
	setFieldValue(t, s, tok, torque, 12.5).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("RunStepField value can only be entered while its step is IN_PROGRESS; step %d is TODO.", a.ID))

	a = mustStepStatus(t, s, tok, a, "IN_PROGRESS")
	if f := readRun(t, s, tok, run.ID).Steps[0].Fields[0]; f.Etag != torque.Etag {
		t.Fatalf("a step's status change changed its field's etag: %s, was %s", f.Etag, torque.Etag)
	}
	setStepStatus(t, s, tok, b, "IN_PROGRESS").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("RunStep status cannot be IN_PROGRESS: upstream step %d (%s) is IN_PROGRESS, not COMPLETE.", a.ID, a.Title))
	setStepStatus(t, s, tok, a, "COMPLETE").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("RunStep status cannot be COMPLETE: required field %d (%s) has no value.", torque.ID, torque.Name))
	setFieldValue(t, s, tok, torque, "twelve").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		"RunStepField value must be a number for a NUMBER field.")
	setFieldValue(t, s, tok, size, "12 mm").wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		"RunStepField value must be one of the field's options for a SELECT field.")
	var out struct{ RunStepField runFieldRef }
	setFieldValue(t, s, tok, torque, "12.5").must(t).field(t, "updateRunStepFieldValue", &out) // a numeric string, as ION's clients send
	if out.RunStepField.Value != 12.5 || out.RunStepField.Etag == torque.Etag {
		t.Fatalf("value: %+v", out.RunStepField)
	}
	setFieldValue(t, s, tok, torque, 13).wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	if got := readRun(t, s, tok, run.ID).Steps[0]; got.Etag != a.Etag {
		t.Fatalf("entering a value changed the step's etag")
	}

	a = mustStepStatus(t, s, tok, a, "COMPLETE")
	b = mustStepStatus(t, s, tok, b, "IN_PROGRESS")
	b = mustStepStatus(t, s, tok, b, "COMPLETE")
	done := readRun(t, s, tok, run.ID)
	if done.Status != "COMPLETE" || done.StartedAt == nil || done.CompletedAt == nil || a.CompletedAt == nil || b.StartedAt == nil {
		t.Fatalf("completed run: %+v", done)
	}
	readOnly := fmt.Sprintf("Run %d is COMPLETE: a completed run is read-only.", run.ID)
	setStepStatus(t, s, tok, b, "REDLINE").wantError(t, http.StatusOK, http.StatusUnprocessableEntity, readOnly)
	setFieldValue(t, s, tok, size, "10 mm").wantError(t, http.StatusOK, http.StatusUnprocessableEntity, readOnly)
	s.gql(t, tok, `mutation($id: ID!) { createRunStep(input: {runId: $id, title: "late"}) { step { id } } }`, map[string]any{"id": run.ID}).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, readOnly)
	s.gql(t, tok, `mutation($id: ID!, $etag: String) { updateRun(input: {id: $id, _etag: $etag, title: "renamed"}) { run { id } } }`,
		map[string]any{"id": run.ID, "etag": done.Etag}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, readOnly)
	if got := readRun(t, s, tok, run.ID); !reflect.DeepEqual(got, done) {
		t.Fatalf("a refused write changed the run: %+v", got)
	}
}

// A unit held by an open run is WIP: from the run's start until it
// completes, is canceled or archived (another open run of it keeps it WIP);
// runs leave the unit's etag alone.
func TestRunHoldsInventoryAsWIP(t *testing.T) { onEngines(t, testRunHoldsInventoryAsWIP) }

func testRunHoldsInventoryAsWIP(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var part struct{ Part struct{ ID int64 } }
	s.gql(t, tok, `mutation($pn: String!) { createPart(input: {partNumber: $pn}) { part { id } } }`, map[string]any{"pn": unique("WIP")}).
		must(t).field(t, "createPart", &part)
	type unitRef struct {
		ID     int64  `json:"id"`
		Etag   string `json:"_etag"`
		Status string `json:"status"`
	}
	var created struct{ PartInventory unitRef }
	s.gql(t, tok, `mutation($p: ID!) { createPartInventory(input: {partId: $p, quantity: 1}) { partInventory { id _etag status } } }`,
		map[string]any{"p": part.Part.ID}).must(t).field(t, "createPartInventory", &created)
	unit := created.PartInventory
	status := func(want string) {
		t.Helper()
		var got unitRef
		s.gql(t, tok, `query($id: ID!) { partInventory(id: $id) { id _etag status } }`, map[string]any{"id": unit.ID}).must(t).field(t, "partInventory", &got)
		if got.Status != want || got.Etag != unit.Etag {
			t.Fatalf("unit %+v, want status %s and etag %s", got, want, unit.Etag)
		}
	}
	status("AVAILABLE")
	procID, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
	start := func() runRef {
		var out struct{ Run runRef }
		s.gql(t, tok, `mutation($p: ID!, $u: ID) { createRun(input: {procedureId: $p, partInventoryId: $u}) { run { `+lightRunSelection+` } } }`,
			map[string]any{"p": procID, "u": unit.ID}).must(t).field(t, "createRun", &out)
		return out.Run
	}
	first := start()
	status("WIP")
	second := start()
	s.gql(t, tok, `mutation($id: ID!, $etag: String) { cancelRun(id: $id, etag: $etag) { run { id } } }`, map[string]any{"id": first.ID, "etag": first.Etag}).must(t)
	status("WIP") // the second run holds it still
	st := mustStepStatus(t, s, tok, second.Steps[0], "IN_PROGRESS")
	mustStepStatus(t, s, tok, st, "COMPLETE")
	if got := readRunSelecting(t, s, tok, second.ID, lightRunSelection); got.Status != "COMPLETE" {
		t.Fatalf("run %s", got.Status)
	}
	status("AVAILABLE")
	third := start()
	status("WIP")
	s.gql(t, tok, `mutation($id: ID!, $etag: String) { archiveRun(id: $id, etag: $etag) { run { id } } }`, map[string]any{"id": third.ID, "etag": third.Etag}).must(t)
	status("AVAILABLE")
}
