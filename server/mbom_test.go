package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// nestedMBoms selects a page of the newest mBOM versions with their
// assembly, items (their parts, substitutes and reference designators) and
// reviews.
const nestedMBoms = `{ mboms(first: %d, sort: [ID_DESC]) { edges { node { id _etag version status part { partNumber }
	items { quantity part { partNumber } substitutes { part { partNumber } } referenceDesignators { value } } reviews { id } } }
	pageInfo { totalCount } } }`

// withMBoms makes n assemblies, each with a draft mBOM of three items, the
// first with a substitute and a reference designator.
func (f *fixture) withMBoms(tb testing.TB, n int) {
	var leaves [4]int64
	for i := range leaves {
		leaves[i] = f.newPart(tb, fmt.Sprintf("MBOM-LEAF-%d", i))
	}
	for i := range n {
		assembly := f.newPart(tb, fmt.Sprintf("MBOM-ASSY-%d", i))
		var items struct {
			Data struct {
				A struct{ MbomItem struct{ ID int64 } }
			}
		}
		raw := f.query(tb, fmt.Sprintf(`mutation { a: createMbomItem(input: {parentId: %d, partId: %d, quantity: 2}) { mbomItem { id } }
			b: createMbomItem(input: {parentId: %d, partId: %d}) { mbomItem { id } }
			c: createMbomItem(input: {parentId: %d, partId: %d, quantity: 4}) { mbomItem { id } } }`,
			assembly, leaves[0], assembly, leaves[1], assembly, leaves[2]))
		if err := json.Unmarshal(raw, &items); err != nil || items.Data.A.MbomItem.ID == 0 {
			tb.Fatalf("mBOM items: %v: %s", err, raw)
		}
		f.query(tb, fmt.Sprintf(`mutation { createMbomSubstitute(input: {mbomItemId: %d, partId: %d}) { mbomSubstitute { id } }
			createMbomItemReferenceDesignator(input: {mbomItemId: %d, value: "U1"}) { mbomItemReferenceDesignator { id } } }`,
			items.Data.A.MbomItem.ID, leaves[3], items.Data.A.MbomItem.ID))
	}
}

// newPart creates a part numbered number and returns its id.
func (f *fixture) newPart(tb testing.TB, number string) int64 {
	var out struct {
		Data struct {
			CreatePart struct{ Part struct{ ID int64 } }
		}
	}
	raw := f.query(tb, fmt.Sprintf(`mutation { createPart(input: {partNumber: %q}) { part { id } } }`, number))
	if err := json.Unmarshal(raw, &out); err != nil || out.Data.CreatePart.Part.ID == 0 {
		tb.Fatalf("createPart: %v: %s", err, raw)
	}
	return out.Data.CreatePart.Part.ID
}

// mBOM versions' nested relations load in one statement per relation: a
// page of versions with their items, the items' parts, substitutes and
// reference designators costs the same statements at every page size.
func TestMBomVersionStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withMBoms(t, 50)
	// principal + page with its count + items, reviews, assemblies,
	// substitutes, reference designators, items' and substitutes' parts
	f.constantStatements(t, nestedMBoms, "version", 9)
}

// BenchmarkMBomVersions measures mboms(first: 50) with items, parts,
// substitutes and reference designators over HTTP, and reports the SQL
// statements per request.
func BenchmarkMBomVersions(b *testing.B) {
	f := newFixture(b)
	f.withMBoms(b, 50)
	q := strings.Replace(nestedMBoms, "%d", "50", 1)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
