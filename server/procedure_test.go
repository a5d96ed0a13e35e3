package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// procedureWith makes a draft procedure of n steps through the store: n/2
// top-level steps, each with a child; every step has two fields, every
// tenth top-level step a datagrid cell, and each top-level step depends on
// the one before.
func procedureWith(tb testing.TB, f *fixture, n int) int64 {
	tb.Helper()
	ptr := func(s string) *string { return &s }
	p, err := f.store.CreateProcedure(f.as, shopfloor.ProcedureFields{Title: ptr(fmt.Sprintf("%d steps", n))})
	if err != nil {
		tb.Fatal(err)
	}
	var prev int64
	for i := range n / 2 {
		top, err := f.store.CreateStep(f.as, shopfloor.StepFields{ProcedureID: &p.ID, Title: ptr(fmt.Sprint("Step ", i))})
		if err != nil {
			tb.Fatal(err)
		}
		child, err := f.store.CreateStep(f.as, shopfloor.StepFields{ProcedureID: &p.ID, ParentID: &top.ID, Title: ptr(fmt.Sprint("Step ", i, ".0"))})
		if err != nil {
			tb.Fatal(err)
		}
		for _, st := range []int64{top.ID, child.ID} {
			for _, typ := range []string{"STRING", "NUMBER"} {
				if _, err := f.store.CreateStepField(f.as, st, shopfloor.StepFieldFields{Name: ptr(typ), Type: ptr(typ)}); err != nil {
					tb.Fatal(err)
				}
			}
		}
		if i%10 == 0 {
			col, err := f.store.CreateDatagridColumn(f.as, shopfloor.DatagridColumnFields{StepID: top.ID, Header: ptr("Torque"), Type: ptr("NUMBER")})
			if err != nil {
				tb.Fatal(err)
			}
			row, err := f.store.CreateDatagridRow(f.as, shopfloor.DatagridRowFields{StepID: top.ID})
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := f.store.SetDatagridValue(f.as, row.ID, col.ID, "", 12.5, nil); err != nil {
				tb.Fatal(err)
			}
		}
		if prev != 0 {
			if _, err := f.store.CreateStepEdge(f.as, top.ID, prev); err != nil {
				tb.Fatal(err)
			}
		}
		prev = top.ID
	}
	return p.ID
}

// wholeProcedure reads a procedure with every step, nested step, field,
// datagrid and dependency.
const wholeProcedure = `{ procedure(id: %d) { id title labels steps { id title positionPath version upstreamStepIds
	fields { name type signoffRole { name } }
	datagridColumns { edges { node { header type } } } datagridRows { edges { node { values { value } } } }
	steps { id title positionPath fields { name type } } } } }`

// The statements of procedure(id) with all its nested steps and fields do
// not grow with the procedure: the step tree is one WITH RECURSIVE read,
// and each relation of every level one batch.
func TestProcedureStatementsDoNotGrowWithSteps(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var counts []int64
	for _, n := range []int{10, 200} {
		q := fmt.Sprintf(wholeProcedure, procedureWith(t, f, n))
		if got := strings.Count(string(f.query(t, q)), `"positionPath"`); got != n {
			t.Fatalf("%d steps read, want %d", got, n)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for procedures of 10 and 200 steps: %v", counts)
	// principal, procedure, step tree, labels, versions (the procedure
	// again, by batch), fields, columns, rows, values, dependencies
	if counts[0] != counts[1] || counts[0] != 10 {
		t.Fatalf("statements per request %v, want 10 for both", counts)
	}
}

// BenchmarkProcedure measures procedure(id) of 200 steps read whole over
// HTTP, and reports the SQL statements per request.
func BenchmarkProcedure(b *testing.B) {
	f := newFixture(b)
	q := fmt.Sprintf(wholeProcedure, procedureWith(b, f, 200))
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
