package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// gridStepSelection reads a step's or a run step's grid in both shapes.
const gridStepSelection = `datagridColumns { edges { node { id stepId runStepId index header type options signoffRoleId LastSessionId } } }
	datagridRows { edges { node { id stepId runStepId index required allowNotApplicable values { id _etag rowId columnId value notApplicable ionValue { ... on User { id } } } } } }
	datagrid { columns { id prevId header type options signoffRoleId } rows { id prevId data } }`

// gridColumn, gridRow and gridCell are a grid as the tests read it.
type gridColumn struct {
	ID            int64  `json:"id"`
	StepID        int64  `json:"stepId"`
	RunStepID     *int64 `json:"runStepId"`
	Index         int    `json:"index"`
	Header        string `json:"header"`
	Type          string `json:"type"`
	Options       any    `json:"options"`
	SignoffRoleID *int64 `json:"signoffRoleId"`
	LastSessionID *int64 `json:"LastSessionId"`
}

type gridCell struct {
	ID            int64  `json:"id"`
	Etag          string `json:"_etag"`
	RowID         int64  `json:"rowId"`
	ColumnID      int64  `json:"columnId"`
	Value         any    `json:"value"`
	NotApplicable bool   `json:"notApplicable"`
	IonValue      *struct {
		ID int64 `json:"id"`
	} `json:"ionValue"`
}

type gridRow struct {
	ID                 int64      `json:"id"`
	StepID             int64      `json:"stepId"`
	RunStepID          *int64     `json:"runStepId"`
	Index              int        `json:"index"`
	Required           bool       `json:"required"`
	AllowNotApplicable bool       `json:"allowNotApplicable"`
	Values             []gridCell `json:"values"`
}

type gridStep struct {
	ID              int64  `json:"id"`
	Etag            string `json:"_etag"`
	Status          string `json:"status"`
	Type            string `json:"type"`
	OriginStepID    *int64 `json:"originStepId"`
	DatagridColumns struct {
		Edges []struct{ Node gridColumn } `json:"edges"`
	} `json:"datagridColumns"`
	DatagridRows struct {
		Edges []struct{ Node gridRow } `json:"edges"`
	} `json:"datagridRows"`
	Datagrid json.RawMessage `json:"datagrid"`
}

func (g gridStep) columns() []gridColumn {
	var out []gridColumn
	for _, e := range g.DatagridColumns.Edges {
		out = append(out, e.Node)
	}
	return out
}

func (g gridStep) rows() []gridRow {
	var out []gridRow
	for _, e := range g.DatagridRows.Edges {
		out = append(out, e.Node)
	}
	return out
}

// cell is the value of row at column col of g (nil: not set).
func (g gridStep) cell(row, col int) *gridCell {
	r, c := g.rows()[row], g.columns()[col]
	for _, v := range r.Values {
		if v.ColumnID == c.ID {
			return &v
		}
	}
	return nil
}

func readGridStep(t *testing.T, s *testServer, tok string, id int64) gridStep {
	t.Helper()
	var out gridStep
	s.gql(t, tok, `query($id: ID!) { step(id: $id) { id _etag type `+gridStepSelection+` } }`, map[string]any{"id": id}).must(t).field(t, "step", &out)
	return out
}

// readRunGrids reads a run's _etag and its top-level steps with their grids.
func readRunGrids(t *testing.T, s *testServer, tok string, runID int64) (string, []gridStep) {
	t.Helper()
	var out struct {
		Etag  string     `json:"_etag"`
		Steps []gridStep `json:"steps"`
	}
	s.gql(t, tok, `query($id: ID!) { run(id: $id) { _etag steps { id _etag status type originStepId `+gridStepSelection+` } } }`,
		map[string]any{"id": runID}).must(t).field(t, "run", &out)
	return out.Etag, out.Steps
}

func roleIDNamed(t *testing.T, s *testServer, tok, name string) int64 {
	t.Helper()
	var out struct {
		Edges []struct{ Node struct{ ID int64 } } `json:"edges"`
	}
	s.gql(t, tok, `query($n: String) { roles(filters: {name: {eq: $n}}) { edges { node { id } } } }`, map[string]any{"n": name}).must(t).field(t, "roles", &out)
	if len(out.Edges) != 1 {
		t.Fatalf("role %s: %+v", name, out)
	}
	return out.Edges[0].Node.ID
}

const setCellQuery = `mutation($input: SetDatagridValueInput!) { setDatagridValue(input: $input) {
	datagridValue { id _etag rowId columnId type value notApplicable ionValue { ... on User { id } } } } }`

func setCell(t *testing.T, s *testServer, tok string, input map[string]any) gqlResponse {
	t.Helper()
	return s.gql(t, tok, setCellQuery, map[string]any{"input": input})
}

// runGridFixture is a released procedure with a DATAGRID step (columns
// NUMBER, SELECT, SIGNOFF by Admin, SIGNOFF by Read-only; a row without
// and one with notApplicable; a preset cell) and a CONTENT step, and a run
// of it.
type runGridFixture struct {
	procStep    gridStep // the procedure's DATAGRID step, as released
	runID       int64
	grid, plain gridStep // the run's copies
	adminRole   int64
	readOnly    int64
}

func newRunGridFixture(t *testing.T, s *testServer, tok string) runGridFixture {
	t.Helper()
	f := runGridFixture{adminRole: roleIDNamed(t, s, tok, shopfloor.RoleAdmin), readOnly: roleIDNamed(t, s, tok, shopfloor.RoleReadOnly)}
	p := newProcedure(t, s, tok)
	var step struct{ Step stepRef }
	s.gql(t, tok, `mutation($p: ID) { createStep(input: {procedureId: $p, title: "Torques", type: DATAGRID}) { step { id _etag } } }`,
		map[string]any{"p": p.ID}).must(t).field(t, "createStep", &step)
	newStep(t, s, tok, p.ID, nil)
	for i, c := range []map[string]any{
		{"type": "NUMBER", "header": "Torque"},
		{"type": "SELECT", "header": "Tool", "options": []any{"a", "b"}},
		{"type": "SIGNOFF", "header": "Lead", "signoffRoleId": f.adminRole},
		{"type": "SIGNOFF", "header": "Viewer", "signoffRoleId": f.readOnly},
	} {
		c["stepId"], c["index"] = step.Step.ID, i
		s.gql(t, tok, `mutation($input: CreateDatagridColumnInput!) { createDatagridColumn(input: $input) { datagridColumn { id } } }`,
			map[string]any{"input": c}).must(t)
	}
	for i, na := range []bool{false, true} {
		s.gql(t, tok, `mutation($s: ID!, $i: Int, $na: Boolean) { createDatagridRow(input: {stepId: $s, index: $i, allowNotApplicable: $na}) { datagridRow { id } } }`,
			map[string]any{"s": step.Step.ID, "i": i, "na": na}).must(t)
	}
	f.procStep = readGridStep(t, s, tok, step.Step.ID)
	setCell(t, s, tok, map[string]any{"rowId": f.procStep.rows()[0].ID, "columnId": f.procStep.columns()[0].ID, "value": 5}).must(t)
	p = mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
	review(t, s, tok, p.ID).must(t)
	mustStatus(t, s, tok, p, shopfloor.ProcedureReleased)
	f.procStep = readGridStep(t, s, tok, step.Step.ID)
	f.runID = createRunSelecting(t, s, tok, p.ID, `id`).ID
	_, steps := readRunGrids(t, s, tok, f.runID)
	f.grid, f.plain = steps[0], steps[1]
	return f
}

// procedureUnchanged fails unless the procedure's grid reads as it was
// released, after what changed the run.
func (f runGridFixture) procedureUnchanged(t *testing.T, s *testServer, tok, what string) {
	t.Helper()
	if proc := readGridStep(t, s, tok, f.procStep.ID); !reflect.DeepEqual(proc, f.procStep) {
		t.Fatalf("%s changed the procedure:\n%+v\nwas\n%+v", what, proc, f.procStep)
	}
}

// createRun copies each DATAGRID step's columns, rows and preset cells
// into its run step, in both read shapes: equal to the procedure's but for
// ids, with stepId the origin step and runStepId the run step.
func TestRunDatagridCopy(t *testing.T) { onEngines(t, testRunDatagridCopy) }

func testRunDatagridCopy(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	f := newRunGridFixture(t, s, tok)
	g, proc := f.grid, f.procStep
	if g.Type != "DATAGRID" || g.OriginStepID == nil || *g.OriginStepID != proc.ID || len(g.columns()) != 4 || len(g.rows()) != 2 {
		t.Fatalf("run step grid not copied: %+v", g)
	}
	if len(f.plain.columns()) != 0 || len(f.plain.rows()) != 0 {
		t.Fatalf("a CONTENT step got a grid: %+v", f.plain)
	}
	for i, c := range g.columns() {
		want := proc.columns()[i]
		if c.ID == want.ID || c.StepID != proc.ID || c.RunStepID == nil || *c.RunStepID != g.ID || want.RunStepID != nil || c.LastSessionID != nil {
			t.Fatalf("column %d: %+v (procedure's %+v)", i, c, want)
		}
		c.ID, c.RunStepID = want.ID, nil
		if !reflect.DeepEqual(c, want) {
			t.Fatalf("column %d: %+v, want %+v", i, c, want)
		}
	}
	for i, r := range g.rows() {
		want := proc.rows()[i]
		if r.ID == want.ID || r.StepID != proc.ID || r.RunStepID == nil || *r.RunStepID != g.ID || r.Index != want.Index || r.AllowNotApplicable != want.AllowNotApplicable {
			t.Fatalf("row %d: %+v (procedure's %+v)", i, r, want)
		}
	}
	if c := g.cell(0, 0); c == nil || c.Value != 5.0 || len(g.rows()[0].Values) != 1 || len(g.rows()[1].Values) != 0 {
		t.Fatalf("preset cell not copied: %+v", g.rows())
	}
	var linked struct {
		Rows []struct {
			Data map[string]any `json:"data"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(g.Datagrid, &linked); err != nil || len(linked.Rows) != 2 || linked.Rows[0].Data[fmt.Sprint(g.columns()[0].ID)] != 5.0 {
		t.Fatalf("linked shape: %s", g.Datagrid)
	}
}

// A run step's cells take values typed by their column, only while the
// step is IN_PROGRESS, a SIGNOFF cell with a role only from a holder of it,
// notApplicable only where the row allows it, under the cell's etag when
// one is sent; each refusal is exact and changes nothing; a write changes
// the cell alone (the step and run keep their etags) and never the
// procedure.
func TestRunDatagridValues(t *testing.T) { onEngines(t, testRunDatagridValues) }

func testRunDatagridValues(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	f := newRunGridFixture(t, s, tok)
	g := f.grid
	cols, rows := g.columns(), g.rows()
	cell := func(row, col int, extra map[string]any) map[string]any {
		in := map[string]any{"rowId": rows[row].ID, "columnId": cols[col].ID}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	setCell(t, s, tok, cell(0, 0, map[string]any{"value": 6})).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("DatagridValue value can only be entered while its step is IN_PROGRESS; step %d is TODO.", g.ID))
	mustStepStatus(t, s, tok, runStepRef{ID: g.ID, Etag: g.Etag}, shopfloor.RunInProgress)
	runEtag, steps := readRunGrids(t, s, tok, f.runID)
	before := steps[0]
	preset := before.cell(0, 0)

	for _, tc := range []struct {
		name   string
		input  map[string]any
		status int
		msg    string
	}{
		{"number", cell(0, 0, map[string]any{"value": "many"}), 422, "DatagridValue value must be a number for a NUMBER column."},
		{"option", cell(0, 1, map[string]any{"value": "z"}), 422, "DatagridValue value must be one of the column's options for a SELECT column."},
		{"signoff type", cell(0, 2, map[string]any{"value": "yes"}), 422, "DatagridValue value must be true or false for a SIGNOFF column."},
		{"signoff role", cell(0, 3, map[string]any{"value": true}), 422, fmt.Sprintf("DatagridValue value must be signed off by a holder of role %d.", f.readOnly)},
		{"not applicable", cell(0, 1, map[string]any{"notApplicable": true}), 422, fmt.Sprintf("DatagridValue notApplicable is not allowed for row %d.", rows[0].ID)},
		{"procedure's column", map[string]any{"rowId": rows[0].ID, "columnId": f.procStep.columns()[0].ID, "value": 1}, 422,
			"DatagridValue columnId must be a column of the row's step."},
		{"stale etag", cell(0, 0, map[string]any{"value": 7, "etag": "stale"}), 409, shopfloor.MsgEtagMismatch},
		{"etag of no cell", cell(1, 0, map[string]any{"value": 7, "etag": preset.Etag}), 409, shopfloor.MsgEtagMismatch},
	} {
		setCell(t, s, tok, tc.input).wantError(t, http.StatusOK, tc.status, tc.msg)
		if etag, after := readRunGrids(t, s, tok, f.runID); etag != runEtag || !reflect.DeepEqual(after[0], before) {
			t.Fatalf("%s: the refusal changed the grid:\n%+v\nwas\n%+v", tc.name, after[0], before)
		}
	}

	var out struct{ DatagridValue gridCell }
	setCell(t, s, tok, cell(0, 0, map[string]any{"value": "7.5", "etag": preset.Etag})).must(t).field(t, "setDatagridValue", &out)
	if out.DatagridValue.Value != 7.5 || out.DatagridValue.Etag == preset.Etag {
		t.Fatalf("number cell: %+v", out.DatagridValue)
	}
	setCell(t, s, tok, cell(0, 2, map[string]any{"value": true})).must(t).field(t, "setDatagridValue", &out)
	if out.DatagridValue.Value != true || out.DatagridValue.IonValue == nil {
		t.Fatalf("signoff cell: %+v", out.DatagridValue)
	}
	setCell(t, s, tok, cell(1, 1, map[string]any{"value": nil, "notApplicable": true})).must(t).field(t, "setDatagridValue", &out)
	if !out.DatagridValue.NotApplicable {
		t.Fatalf("not applicable cell: %+v", out.DatagridValue)
	}
	etag, after := readRunGrids(t, s, tok, f.runID)
	if etag != runEtag || after[0].Etag != before.Etag || after[0].cell(0, 0).Value != 7.5 || after[0].cell(0, 2).Value != true {
		t.Fatalf("after the writes: run etag %s (was %s), step %+v", etag, runEtag, after[0])
	}
	f.procedureUnchanged(t, s, tok, "the run's writes")
}

// LastSessionId names the latest session on the run step of the person
// who last set a cell of the column.
func TestRunDatagridLastSession(t *testing.T) { onEngines(t, testRunDatagridLastSession) }

func testRunDatagridLastSession(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	f := newRunGridFixture(t, s, tok)
	g := f.grid
	mustStepStatus(t, s, tok, runStepRef{ID: g.ID, Etag: g.Etag}, shopfloor.RunInProgress)
	var session struct{ Session struct{ ID int64 } }
	s.gql(t, tok, `mutation($s: ID!) { checkIn(input: {runStepId: $s}) { session { id } } }`, map[string]any{"s": g.ID}).must(t).field(t, "checkIn", &session)
	setCell(t, s, tok, map[string]any{"rowId": g.rows()[1].ID, "columnId": g.columns()[1].ID, "value": "b"}).must(t)
	_, steps := readRunGrids(t, s, tok, f.runID)
	if got := steps[0].columns()[1].LastSessionID; got == nil || *got != session.Session.ID {
		t.Fatalf("LastSessionId %v, want %d", got, session.Session.ID)
	}
	if got := steps[0].columns()[2].LastSessionID; got != nil {
		t.Fatalf("a column nobody set: LastSessionId %d", *got)
	}
}

// A run step's columns and rows change only while the step is REDLINE, as
// its fields, and only on a DATAGRID step; the procedure's grid stays.
func TestRunDatagridRedline(t *testing.T) { onEngines(t, testRunDatagridRedline) }

func testRunDatagridRedline(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	f := newRunGridFixture(t, s, tok)
	g := f.grid
	createCol := func(input map[string]any) gqlResponse {
		return s.gql(t, tok, `mutation($input: CreateDatagridColumnInput!) { createDatagridColumn(input: $input) {
			datagridColumn { id _etag stepId runStepId index header } } }`, map[string]any{"input": input})
	}
	createRow := func(runStep int64) gqlResponse {
		return s.gql(t, tok, `mutation($r: ID) { createDatagridRow(input: {runStepId: $r, index: 2}) { datagridRow { id _etag stepId runStepId index } } }`,
			map[string]any{"r": runStep})
	}
	col := g.columns()[0]
	updateCol := func(etag string) gqlResponse {
		return s.gql(t, tok, `mutation($id: ID!, $e: String) { updateDatagridColumn(input: {id: $id, etag: $e, header: "Torque (Nm)"}) { datagridColumn { id header } } }`,
			map[string]any{"id": col.ID, "e": etag})
	}
	todo := fmt.Sprintf("RunStep status is %s: only a REDLINE step can be edited.", shopfloor.RunTodo)
	createCol(map[string]any{"runStepId": g.ID, "header": "Extra"}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, todo)
	createRow(g.ID).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, todo)
	colEtag := func() string {
		var out struct {
			Steps []struct {
				DatagridColumns struct{ Edges []struct{ Node etagged } } `json:"datagridColumns"`
			} `json:"steps"`
		}
		s.gql(t, tok, `query($id: ID!) { run(id: $id) { steps { datagridColumns { edges { node { id _etag } } } } } }`, map[string]any{"id": f.runID}).
			must(t).field(t, "run", &out)
		return out.Steps[0].DatagridColumns.Edges[0].Node.Etag
	}
	updateCol(colEtag()).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, todo)
	createCol(map[string]any{"stepId": f.procStep.ID, "header": "Extra"}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		"Procedure status is RELEASED: only a DRAFT procedure can be edited.")

	mustStepStatus(t, s, tok, runStepRef{ID: g.ID, Etag: g.Etag}, shopfloor.RunRedline)
	mustStepStatus(t, s, tok, runStepRef{ID: f.plain.ID, Etag: f.plain.Etag}, shopfloor.RunRedline)
	createCol(map[string]any{"runStepId": f.plain.ID}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("DatagridColumn runStepId must name a DATAGRID step; step %d is CONTENT.", f.plain.ID))
	createCol(map[string]any{"runStepId": g.ID, "stepId": f.plain.OriginStepID}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity,
		fmt.Sprintf("DatagridColumn stepId must be run step %d's origin step %d, or left out.", g.ID, f.procStep.ID))
	s.gql(t, tok, `mutation { createDatagridColumn(input: {header: "Nowhere"}) { datagridColumn { id } } }`, nil).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "DatagridColumn stepId or runStepId is required.")
	updateCol("stale").wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)

	var made struct{ DatagridColumn gridColumn }
	createCol(map[string]any{"runStepId": g.ID, "stepId": f.procStep.ID, "header": "Extra", "index": 4}).must(t).field(t, "createDatagridColumn", &made)
	if c := made.DatagridColumn; c.StepID != f.procStep.ID || c.RunStepID == nil || *c.RunStepID != g.ID || c.Index != 4 {
		t.Fatalf("redline column: %+v", c)
	}
	var rows [2]struct{ DatagridRow etagged }
	for i := range rows {
		createRow(g.ID).must(t).field(t, "createDatagridRow", &rows[i])
	}
	s.gql(t, tok, deleteRowQuery, map[string]any{"id": rows[1].DatagridRow.ID, "etag": "stale"}).
		wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	s.gql(t, tok, deleteRowQuery, map[string]any{"id": rows[1].DatagridRow.ID, "etag": rows[1].DatagridRow.Etag}).must(t)
	updateCol(colEtag()).must(t)
	_, steps := readRunGrids(t, s, tok, f.runID)
	if len(steps[0].columns()) != 5 || len(steps[0].rows()) != 3 || steps[0].columns()[0].Header != "Torque (Nm)" {
		t.Fatalf("redlined grid: %+v", steps[0])
	}
	f.procedureUnchanged(t, s, tok, "the redline")
}

// createRun copies each step field's validations onto its run copy, which
// reads them back as given (fieldId: the procedure's field).
func TestRunStepFieldValidationsCopied(t *testing.T) { onEngines(t, testRunStepFieldValidationsCopied) }

func testRunStepFieldValidationsCopied(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	p := newProcedure(t, s, tok)
	step := newStep(t, s, tok, p.ID, nil)
	field := func(name string, validations any) int64 {
		var out struct{ StepField struct{ ID int64 } }
		s.gql(t, tok, `mutation($s: ID!, $n: String!, $v: [StepFieldValidationInput!]) {
			createStepField(input: {stepId: $s, name: $n, type: NUMBER, validations: $v}) { stepField { id } } }`,
			map[string]any{"s": step.ID, "n": name, "v": validations}).must(t).field(t, "createStepField", &out)
		return out.StepField.ID
	}
	first := field("Min", nil)
	second := field("Max", []any{map[string]any{"functionId": 3, "fieldId": first}, map[string]any{"functionId": 4}})
	p = mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
	review(t, s, tok, p.ID).must(t)
	mustStatus(t, s, tok, p, shopfloor.ProcedureReleased)
	var run struct {
		Steps []struct {
			Fields []struct {
				OriginFieldID int64            `json:"originFieldId"`
				Validations   []map[string]any `json:"validations"`
			} `json:"fields"`
		} `json:"steps"`
	}
	s.gql(t, tok, `mutation($p: ID!) { createRun(input: {procedureId: $p}) { run { steps { fields { originFieldId validations { functionId fieldId } } } } } }`,
		map[string]any{"p": p.ID}).must(t).field(t, "createRun", &struct{ Run any }{&run})
	fields := run.Steps[0].Fields
	want := []map[string]any{{"functionId": 3.0, "fieldId": float64(first)}, {"functionId": 4.0, "fieldId": nil}}
	if len(fields) != 2 || fields[0].OriginFieldID != first || len(fields[0].Validations) != 0 || fields[1].OriginFieldID != second ||
		!reflect.DeepEqual(fields[1].Validations, want) {
		t.Fatalf("run step fields: %+v", fields)
	}
}
