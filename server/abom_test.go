package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// asBuiltTree builds, through the store, an as-built tree of units of one
// part whose levels hold counts[i] units, each installed on a build
// requirement of a unit of the level above (spread evenly), and returns the
// top unit's id.
func (f *fixture) asBuiltTree(tb testing.TB, counts ...int) int64 {
	tb.Helper()
	part, err := f.store.CreatePart(f.as, shopfloor.PartFields{PartNumber: new(fmt.Sprintf("ASBUILT-%d-%d", len(counts), sum(counts)))})
	if err != nil {
		tb.Fatal(err)
	}
	unit := func() int64 {
		u, err := f.store.CreatePartInventory(f.as, shopfloor.PartInventoryFields{PartID: &part.ID, Quantity: new(1.0)})
		if err != nil {
			tb.Fatal(err)
		}
		return u.ID
	}
	top := unit()
	level := []int64{top}
	for _, n := range counts[1:] {
		var next []int64
		for i := range n {
			parent, child := level[i%len(level)], unit()
			req, err := f.store.CreateBuildRequirement(f.as, shopfloor.BuildRequirementFields{PartID: &part.ID, PartInventoryID: &parent})
			if err != nil {
				tb.Fatal(err)
			}
			if _, err := f.store.CreateABomInstallation(f.as, shopfloor.ABomInstallationFields{BuildRequirementID: req.ID, PartInventoryID: child, Quantity: 1}); err != nil {
				tb.Fatal(err)
			}
			next = append(next, child)
		}
		level = next
	}
	return top
}

func sum(counts []int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// asBuiltRead reads a unit's as-built tree 5 levels deep: each level's
// requirements with their part and the units installed on them.
var asBuiltRead = func() string {
	q := `id status buildRequirements { id }`
	for range 4 {
		q = `id status buildRequirements { id quantity part { partNumber } partInventories { ` + q + ` } }`
	}
	return `{ partInventory(id: %d) { ` + q + ` } }`
}()

// The as-built tree reads in the same statements whatever its size: each
// relation is one batch for every level at once, the requirements of the
// whole subtree one WITH RECURSIVE statement.
func TestAsBuiltTreeStatementsDoNotGrow(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var counts []int64
	for _, shape := range [][]int{{1, 2, 4, 8, 16}, {1, 7, 49, 343, 1600}} {
		q := fmt.Sprintf(asBuiltRead, f.asBuiltTree(t, shape...))
		if got, want := strings.Count(string(f.query(t, q)), `"status"`), sum(shape); got != want {
			t.Fatalf("the tree of %d units reads %d", want, got)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for trees of 31 and 2,000 units: %v", counts)
	if counts[0] != counts[1] {
		t.Fatalf("statements per request grow with the tree: %v", counts)
	}
	// principal, unit, requirement trees, installations, units, parts,
	// the leaves' requirements
	if counts[0] != 7 {
		t.Errorf("want 7 statements per request, got %d", counts[0])
	}
}

// BenchmarkAsBuiltTree reads an as-built tree of 5 levels and 2,000 units
// over HTTP, and reports the SQL statements per request.
func BenchmarkAsBuiltTree(b *testing.B) {
	f := newFixture(b)
	f.bench(b, fmt.Sprintf(asBuiltRead, f.asBuiltTree(b, 1, 7, 49, 343, 1600)))
}
