package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Reads that batch their relations, measured: each page's statements stay
// the same from 2 rows to 50, and a benchmark reports them per request.

// mutateEach sends one mutation document of n aliased root fields, the i-th
// made by field(i), and answers the payloads by alias (m0, m1, …).
func (f *fixture) mutateEach(tb testing.TB, n int, field func(i int) string) map[string]json.RawMessage {
	tb.Helper()
	var b strings.Builder
	b.WriteString("mutation {")
	for i := range n {
		fmt.Fprintf(&b, " m%d: %s", i, field(i))
	}
	b.WriteString(" }")
	var out struct{ Data map[string]json.RawMessage }
	if err := json.Unmarshal(f.query(tb, b.String()), &out); err != nil {
		tb.Fatal(err)
	}
	return out.Data
}

// idsOf reads the id under field of each alias's payload, in alias order.
func idsOf(tb testing.TB, payloads map[string]json.RawMessage, field string) []int64 {
	tb.Helper()
	ids := make([]int64, len(payloads))
	for i := range ids {
		var p map[string]struct{ ID int64 }
		if err := json.Unmarshal(payloads[fmt.Sprintf("m%d", i)], &p); err != nil {
			tb.Fatal(err)
		}
		ids[i] = p[field].ID
	}
	return ids
}

// nestedSessions selects the newest sessions with their run step and the
// person checked in.
const nestedSessions = `{ sessions(first: %d, sort: [ID_DESC]) { edges { node { id checkIn checkOut
	runStep { id title status } createdBy { id name } } } pageInfo { totalCount } } }`

// withSessions starts each step of a new run of n steps and checks in on it.
func (f *fixture) withSessions(tb testing.TB, n int) {
	var run struct {
		Data struct {
			Run struct {
				Steps []struct {
					ID   int64
					Etag string `json:"_etag"`
				}
			}
		}
	}
	if err := json.Unmarshal(f.query(tb, fmt.Sprintf(`{ run(id: %d) { steps { id _etag } } }`, f.runOf(tb, n))), &run); err != nil {
		tb.Fatal(err)
	}
	steps := run.Data.Run.Steps
	f.mutateEach(tb, len(steps), func(i int) string {
		return fmt.Sprintf(`updateRunStep(input: {id: %d, etag: "%s", status: IN_PROGRESS}) { runStep { id } }`, steps[i].ID, steps[i].Etag)
	})
	f.mutateEach(tb, len(steps), func(i int) string {
		return fmt.Sprintf(`checkIn(input: {runStepId: %d}) { session { id } }`, steps[i].ID)
	})
}

// Sessions load their run steps and people in one statement each.
func TestSessionStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withSessions(t, 50)
	// principal + page with its count + run steps, users (1 each)
	f.constantStatements(t, nestedSessions, "checkIn", 4)
}

// BenchmarkSessionsPage measures sessions(first: 50) with run steps and
// people over HTTP, and reports the SQL statements per request.
func BenchmarkSessionsPage(b *testing.B) {
	f := newFixture(b)
	f.withSessions(b, 50)
	f.bench(b, fmt.Sprintf(nestedSessions, 50))
}

// nestedMBom selects the newest mBOM items with their parts, substitutes
// (with their parts) and reference designators; nestedPartMBom the same
// items through their assemblies' Part.mbom.
const (
	nestedMBom = `{ mbomItems(first: %d, sort: [ID_DESC]) { edges { node { id quantity madeOnAssembly
	part { partNumber } substitutes { part { partNumber } } referenceDesignators { value } } } pageInfo { totalCount } } }`
	nestedPartMBom = `{ parts(first: %d, filters: {partNumber: {ilike: "BENCH-ASM-%%"}}) { edges { node { assembly: partNumber
	mbom { quantity part { partNumber } substitutes { part { partNumber } } referenceDesignators { value } } } } } }`
)

// withMBom adds n assemblies of one item each: a part of its own, another
// item's part as its substitute, and a reference designator.
func (f *fixture) withMBom(tb testing.TB, n int) {
	assemblies := idsOf(tb, f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createPart(input: {partNumber: "BENCH-ASM-%d"}) { part { id } }`, i)
	}), "part")
	components := idsOf(tb, f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createPart(input: {partNumber: "BENCH-CMP-%d"}) { part { id } }`, i)
	}), "part")
	items := idsOf(tb, f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createMbomItem(input: {parentId: %d, partId: %d, quantity: 2}) { mbomItem { id } }`, assemblies[i], components[i])
	}), "mbomItem")
	f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createMbomSubstitute(input: {mbomItemId: %d, partId: %d}) { mbomSubstitute { id } }`, items[i], components[(i+1)%n])
	})
	f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createMbomItemReferenceDesignator(input: {mbomItemId: %d, value: "R%d"}) { mbomItemReferenceDesignator { id } }`, items[i], i)
	})
}

// mBOM items load their parts, substitutes (and theirs) and designators in
// one statement per relation, read as a list or under their assemblies.
func TestMBomStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withMBom(t, 60) // more than a page of 50, which then counts its rows
	// principal + page with its count + parts, substitutes, their parts,
	// designators (1 each)
	t.Run("mbomItems", func(t *testing.T) { f.constantStatements(t, nestedMBom, "madeOnAssembly", 6) })
	// principal + page with its count + items, then as above
	t.Run("Part.mbom", func(t *testing.T) { f.constantStatements(t, nestedPartMBom, "assembly", 7) })
}

// BenchmarkMBomItemsPage measures mbomItems(first: 50) with parts,
// substitutes and designators over HTTP, and reports the SQL statements per
// request.
func BenchmarkMBomItemsPage(b *testing.B) {
	f := newFixture(b)
	f.withMBom(b, 60)
	f.bench(b, fmt.Sprintf(nestedMBom, 50))
}

// BenchmarkPartMBom measures 50 assemblies' Part.mbom, nested as
// mbomItems, over HTTP.
func BenchmarkPartMBom(b *testing.B) {
	f := newFixture(b)
	f.withMBom(b, 60)
	f.bench(b, fmt.Sprintf(nestedPartMBom, 50))
}

// nestedSuppliers selects the newest suppliers with their contacts.
const nestedSuppliers = `{ suppliers(first: %d, sort: [ID_DESC]) { edges { node { id name
	Attributes { key value } contacts { name email phone title } } } pageInfo { totalCount } } }`

// withSuppliers adds n suppliers of two contacts each.
func (f *fixture) withSuppliers(tb testing.TB, n int) {
	suppliers := idsOf(tb, f.mutateEach(tb, n, func(i int) string {
		return fmt.Sprintf(`createSupplier(input: {name: "Bench supplier %d"}) { supplier { id } }`, i)
	}), "supplier")
	f.mutateEach(tb, 2*n, func(i int) string {
		return fmt.Sprintf(`createContact(input: {supplierId: %d, name: "Buyer %d", email: "buyer%d@bench.test"}) { contact { id } }`, suppliers[i/2], i, i)
	})
}

// Suppliers load their contacts in one statement.
func TestSupplierStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withSuppliers(t, 50)
	// principal + page with its count + contacts
	f.constantStatements(t, nestedSuppliers, "contacts", 3)
}

// BenchmarkSuppliersPage measures suppliers(first: 50) with contacts over
// HTTP, and reports the SQL statements per request.
func BenchmarkSuppliersPage(b *testing.B) {
	f := newFixture(b)
	f.withSuppliers(b, 50)
	f.bench(b, fmt.Sprintf(nestedSuppliers, 50))
}

// nestedPartRuns and nestedInventoryRuns select a page of parts, and of
// inventory, with the runs that build them.
const (
	nestedPartRuns      = `{ parts(first: %d) { edges { node { partNumber runs { id title status } } } } }`
	nestedInventoryRuns = `{ partInventories(first: %d) { edges { node { serialNumber runs { id title status } } } } }`
)

// withRuns starts a run of a new procedure on each of the first n units of
// inventory.
func (f *fixture) withRuns(tb testing.TB, n int) {
	var read struct {
		Data struct {
			Run             struct{ Procedure struct{ ID int64 } }
			PartInventories struct {
				Edges []struct{ Node struct{ ID int64 } }
			}
		}
	}
	q := fmt.Sprintf(`{ run(id: %d) { procedure { id } } partInventories(first: %d) { edges { node { id } } } }`, f.runOf(tb, 1), n)
	if err := json.Unmarshal(f.query(tb, q), &read); err != nil {
		tb.Fatal(err)
	}
	units := read.Data.PartInventories.Edges
	f.mutateEach(tb, len(units), func(i int) string {
		return fmt.Sprintf(`createRun(input: {procedureId: %d, partInventoryId: %d}) { run { id } }`, read.Data.Run.Procedure.ID, units[i].Node.ID)
	})
}

// Parts and inventory load the runs that build them in one statement.
func TestPartRunStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withRuns(t, 50)
	// principal + page with its count + runs
	t.Run("Part.runs", func(t *testing.T) { f.constantStatements(t, nestedPartRuns, "partNumber", 3) })
	t.Run("PartInventory.runs", func(t *testing.T) { f.constantStatements(t, nestedInventoryRuns, "serialNumber", 3) })
}

// BenchmarkPartRuns measures parts(first: 50) with their runs over HTTP.
func BenchmarkPartRuns(b *testing.B) {
	f := newFixture(b)
	f.withRuns(b, 50)
	f.bench(b, fmt.Sprintf(nestedPartRuns, 50))
}

// BenchmarkInventoryRuns measures partInventories(first: 50) with their
// runs over HTTP.
func BenchmarkInventoryRuns(b *testing.B) {
	f := newFixture(b)
	f.withRuns(b, 50)
	f.bench(b, fmt.Sprintf(nestedInventoryRuns, 50))
}
