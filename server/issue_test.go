package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// nestedIssues selects a page of issues with their disposition, conditions,
// attributes, labels, and the part and inventory (with its location) they
// occurred on.
const nestedIssues = `{ issues(first: %d) { edges { node { id _etag entityId title status dispositionType disposition
	expectedCondition causeCondition attributes { id Etag key type value } labels { id value }
	part { partNumber } partInventory { serialNumber quantity location { name } } } }
	pageInfo { totalCount } } }`

// withIssues opens n issues on the fixture's inventory, each with a
// disposition, both conditions, two attributes and a label.
func (f *fixture) withIssues(tb testing.TB, n int) {
	var inv struct {
		Data struct {
			PartInventories struct {
				Edges []struct{ Node struct{ ID int64 } }
			}
			CreateLabel struct{ Label struct{ ID int64 } }
		}
	}
	if err := json.Unmarshal(f.query(tb, `mutation { createLabel(input: {value: "Bench"}) { label { id } } }`), &inv); err != nil {
		tb.Fatal(err)
	}
	if err := json.Unmarshal(f.query(tb, `{ partInventories(first: 20) { edges { node { id } } } }`), &inv); err != nil {
		tb.Fatal(err)
	}
	units := inv.Data.PartInventories.Edges
	for i := range n {
		var created struct {
			Data struct {
				CreateIssue struct{ Issue struct{ EntityID int64 } }
			}
		}
		raw := f.query(tb, fmt.Sprintf(`mutation { createIssue(input: {title: "issue %d", partInventoryId: %d, dispositionType: REWORK,
			disposition: "Ream to size.", expectedCondition: [{children: [{text: "6.35 mm"}]}], causeCondition: [{children: [{text: "worn reamer"}]}],
			attributes: [{key: "Defect Code", value: "COSMETIC"}, {key: "note", value: %d}]}) { issue { entityId } } }`, i, units[i%len(units)].Node.ID, i))
		if err := json.Unmarshal(raw, &created); err != nil {
			tb.Fatal(err)
		}
		f.query(tb, fmt.Sprintf(`mutation { addLabelToItem(input: {entityId: %d, labelId: %d}) { entityId } }`,
			created.Data.CreateIssue.Issue.EntityID, inv.Data.CreateLabel.Label.ID))
	}
}

// Issues' nested relations load in one statement per relation: a page of
// issues with their attributes, labels, part, inventory and its location
// costs the same statements at every page size.
func TestIssueStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withIssues(t, 50)
	// principal + page with its count + attributes, labels, parts,
	// inventory with its locations (1 each)
	f.constantStatements(t, nestedIssues, "causeCondition", 6)
}

// BenchmarkIssuesPage measures issues(first: 50) with dispositions,
// conditions, attributes, labels and links over HTTP, and reports the SQL
// statements per request.
func BenchmarkIssuesPage(b *testing.B) {
	f := newFixture(b)
	f.withIssues(b, 50)
	q := strings.Replace(nestedIssues, "%d", "50", 1)
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, q)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
