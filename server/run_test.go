package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// runOf releases a procedure of n steps, each with two fields, and starts
// a run of it; it returns the run's id.
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
		fmt.Fprintf(&b, ` s%d: createStep(input: {procedureId: %d, title: "Step %d"}) { step { id } }`, i, proc, i)
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

// runRead selects a run with every step and field, as a floor app does.
const runRead = `{ run(id: %d) { id status procedure { id title } labels { id }
	steps { id position entityId status _etag upstreamStepIds fields { id name value type _etag } steps { id } } } }`

// No N+1 in a run: the statements of run(id) with its steps and their
// fields do not grow with the number of steps.
func TestRunStatementsDoNotGrowWithSteps(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var counts []int64
	for _, n := range []int{2, 20, 200} {
		id := f.runOf(t, n)
		q := fmt.Sprintf(runRead, id)
		if got := strings.Count(string(f.query(t, q)), `"Torque"`); got != n {
			t.Fatalf("run of %d steps reads %d Torque fields", n, got)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for runs of 2, 20, 200 steps: %v", counts)
	for _, c := range counts[1:] {
		if c != counts[0] {
			t.Fatalf("statements per request grow with the steps: %v", counts)
		}
	}
	// principal, run, procedure, labels, steps, fields, dependencies
	if counts[0] != 7 {
		t.Errorf("want 7 statements per request, got %d", counts[0])
	}
}

// BenchmarkRun200Steps measures run(id) with 200 steps and their 400
// fields over HTTP, and reports the SQL statements per request.
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
