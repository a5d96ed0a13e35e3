package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// runOf releases a procedure of n DATAGRID steps, each with two fields and
// a grid of one column and one row with its cell set, and starts a run of
// it; it returns the run's id.
func (f *fixture) runOf(tb testing.TB, n int) int64 {
	tb.Helper()
	var created struct {
		Data struct {
			CreateProcedure struct{ Procedure struct{ ID int64 } }
		}
	}
	json.Unmarshal(f.query(tb, fmt.Sprintf(`mutation { createProcedure(title: "Run of %d steps") { procedure { id } } }`, n)), &created)
	proc := created.Data.CreateProcedure.Procedure.ID
	var b strings.Builder
	b.WriteString("mutation {")
	for i := range n {
		fmt.Fprintf(&b, ` s%d: createStep(input: {procedureId: %d, title: "Step %d", type: DATAGRID}) { step { id } }`, i, proc, i)
	}
	b.WriteString(" }")
	var steps struct {
		Data map[string]struct{ Step struct{ ID int64 } }
	}
	json.Unmarshal(f.query(tb, b.String()), &steps)
	b.Reset()
	b.WriteString("mutation {")
	for alias, st := range steps.Data {
		fmt.Fprintf(&b, ` %sa: createStepField(input: {stepId: %d, name: "Serial", type: STRING, required: true}) { stepField { id } }`, alias, st.Step.ID)
		fmt.Fprintf(&b, ` %sb: createStepField(input: {stepId: %d, name: "Torque", type: NUMBER}) { stepField { id } }`, alias, st.Step.ID)
		fmt.Fprintf(&b, ` %sc: createDatagridColumn(input: {stepId: %d, header: "Gap", type: NUMBER}) { datagridColumn { id } }`, alias, st.Step.ID)
		fmt.Fprintf(&b, ` %sr: createDatagridRow(input: {stepId: %d}) { datagridRow { id } }`, alias, st.Step.ID)
	}
	b.WriteString(" }")
	var grids struct {
		Data map[string]struct {
			DatagridColumn, DatagridRow struct{ ID int64 }
		}
	}
	json.Unmarshal(f.query(tb, b.String()), &grids)
	b.Reset()
	b.WriteString("mutation {")
	for alias := range steps.Data {
		fmt.Fprintf(&b, ` %sv: setDatagridValue(input: {rowId: %d, columnId: %d, value: 0.25}) { datagridValue { id } }`,
			alias, grids.Data[alias+"r"].DatagridRow.ID, grids.Data[alias+"c"].DatagridColumn.ID)
	}
	b.WriteString(" }")
	f.query(tb, b.String())
	status := func(s string) string {
		var cur struct {
			Data struct {
				Procedure struct {
					Etag string `json:"_etag"`
				}
			}
		}
		json.Unmarshal(f.query(tb, fmt.Sprintf(`{ procedure(id: %d) { _etag } }`, proc)), &cur)
		return fmt.Sprintf(`mutation { updateProcedure(input: {id: %d, etag: "%s", status: %s}) { procedure { id } } }`, proc, cur.Data.Procedure.Etag, s)
	}
	f.query(tb, status("IN_REVIEW"))
	f.query(tb, fmt.Sprintf(`mutation { createReview(input: {procedureId: %d}) { review { id } } }`, proc))
	f.query(tb, status("RELEASED"))
	var run struct {
		Data struct {
			CreateRun struct{ Run struct{ ID int64 } }
		}
	}
	json.Unmarshal(f.query(tb, fmt.Sprintf(`mutation { createRun(input: {procedureId: %d}) { run { id } } }`, proc)), &run)
	return run.Data.CreateRun.Run.ID
}

// runRead selects a run with every step, field and datagrid, as a floor
// app does.
const runRead = `{ run(id: %d) { id status procedure { id title } labels { id }
	steps { id position entityId status _etag upstreamStepIds fields { id name value type _etag validations { functionId } }
		datagridColumns { edges { node { id header type runStepId LastSessionId } } }
		datagridRows { edges { node { id runStepId values { id value } } } }
		datagrid { columns { id prevId } rows { id prevId data } } steps { id } } } }`

// No N+1 in a run: the statements of run(id) with its steps, their fields
// and their datagrids do not grow with the number of steps.
func TestRunStatementsDoNotGrowWithSteps(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var counts []int64
	for _, n := range []int{2, 20, 200} {
		id := f.runOf(t, n)
		q := fmt.Sprintf(runRead, id)
		read := string(f.query(t, q))
		if got := strings.Count(read, `"Torque"`); got != n {
			t.Fatalf("run of %d steps reads %d Torque fields", n, got)
		}
		if got := strings.Count(read, `"value":0.25`); got != n {
			t.Fatalf("run of %d steps reads %d copied cells", n, got)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for runs of 2, 20, 200 steps: %v", counts)
	for _, c := range counts[1:] {
		if c != counts[0] {
			t.Fatalf("statements per request grow with the steps: %v", counts)
		}
	}
	// principal, run, procedure, labels, steps, fields, dependencies,
	// datagrid columns, rows, cells
	if counts[0] != 10 {
		t.Errorf("want 10 statements per request, got %d", counts[0])
	}
}

// Who created a run's steps and fields, read only when asked for, reads
// back when asked for.
func TestRunAuthorsWhenSelected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	id := f.runOf(t, 2)
	var read struct {
		Data struct {
			Run struct {
				Steps []struct {
					CreatedByID *int64 `json:"createdById"`
					Fields      []struct {
						CreatedByID   *int64 `json:"createdById"`
						OriginFieldID *int64 `json:"originFieldId"`
					}
				}
			}
		}
	}
	body := f.query(t, fmt.Sprintf(`{ run(id: %d) { steps { createdById fields { createdById originFieldId } } } }`, id))
	if err := json.Unmarshal(body, &read); err != nil {
		t.Fatal(err)
	}
	fields := 0
	for _, st := range read.Data.Run.Steps {
		if st.CreatedByID == nil {
			t.Errorf("a step without createdById: %s", body)
		}
		for _, fl := range st.Fields {
			fields++
			if fl.CreatedByID == nil || fl.OriginFieldID == nil {
				t.Errorf("a field without createdById or originFieldId: %s", body)
			}
		}
	}
	if len(read.Data.Run.Steps) != 2 || fields == 0 {
		t.Errorf("read %s", body)
	}
}

// BenchmarkRun200Steps measures run(id) with 200 steps, their 400 fields
// and their 200 datagrids over HTTP, and reports the SQL statements per
// request.
func BenchmarkRun200Steps(b *testing.B) {
	f := newFixture(b)
	q := fmt.Sprintf(runRead, f.runOf(b, 200))
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
