package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
)

func TestMeasure(t *testing.T) {
	schema := gqlparser.MustLoadSchema(sources...)
	for _, tc := range []struct {
		query                       string
		cost, depth, introspections int
		parts                       int // the organization's parts
	}{
		{`{ me { id } }`, 2, 2, 0, 0},
		{`{ parts(first: 50) { pageInfo { totalCount } } }`, 3, 3, 0, 0},
		{`{ parts(first: 50) { edges { node { id partNumber } } } }`, 1 + 1 + 50*(1+2), 4, 0, 0},
		{`{ parts { edges { node { id } } } }`, 1 + 1 + 1000*2, 4, 0, 0},
		{`query($n: Int) { parts(first: $n) { edges { node { partInventories { id } } } } }`, 1 + 1 + 7*(1+1+10*1), 5, 0, 0},
		{`{ parts(last: 2) { edges { ...f } } } fragment f on PartEdge { node { id } }`, 1 + 1 + 2*2, 4, 0, 0},
		// 4,500 parts: a list of them touches all, first: 0 included.
		{`{ parts(first: 0, filters: {description: {ilike: "%zz%"}}) { totalCount } }`, 1 + 45 + 1, 2, 0, 4500},
		{`{ a: parts(first: 0) { totalCount } b: partSubtypes(first: 1) { edges { node { id } } } }`, (1 + 45 + 1) + (1 + 1 + 1*2), 4, 0, 4599},
		// An introspection field costs 100 and counts depth 1, whatever it selects.
		{`{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } me { id } }`, 100 + 2, 2, 1, 0},
		{`{ ...f __typename } fragment f on Query { a: __type(name: "Part") { name } b: __schema { queryType { name } } }`, 201, 1, 2, 0},
	} {
		doc, errs := gqlparser.LoadQuery(schema, tc.query)
		if errs != nil {
			t.Fatal(errs)
		}
		model := costModel{vars: map[string]any{"n": int64(7)}, maxPage: 1000, rows: map[string]int{"Part": tc.parts, "PartSubtype": 99}}
		got := model.measureOperation(doc.Operations[0].SelectionSet)
		if want := (shape{tc.cost, tc.depth, tc.introspections}); got != want {
			t.Errorf("%s: %+v, want %+v", tc.query, got, want)
		}
	}
}

// The default buckets let one organization use what one replica serves: the
// parts page with inventory and location, on the benchmark's 9,060 parts, 300
// times a second (issue 19).
func TestDefaultLimitsFitAReplica(t *testing.T) {
	t.Parallel()
	const page = `{ parts(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { node { id partNumber revision description quantity
		partInventories { id quantity status location { id name } } } } } }`
	doc, errs := gqlparser.LoadQuery(gqlparser.MustLoadSchema(sources...), page)
	if errs != nil {
		t.Fatal(errs)
	}
	cost := costModel{maxPage: DefaultLimits.MaxPageSize, rows: map[string]int{"Part": 9060}}.measureOperation(doc.Operations[0].SelectionSet).cost
	for _, l := range []struct {
		name        string
		rate, burst int
	}{{"organization", DefaultLimits.Org.Rate, DefaultLimits.Org.Burst}, {"API key", DefaultLimits.Key.Rate, DefaultLimits.Key.Burst}} {
		if perSecond := l.rate / cost; perSecond < 300 || l.burst < DefaultLimits.MaxCost {
			t.Errorf("the page costs %d: an %s's default bucket (%d/s, %d) runs %d a second, want at least 300 and a burst above --max-cost",
				cost, l.name, l.rate, l.burst, perSecond)
		}
	}
}

// An operation's selection holds every field it selects, by the object type
// it is selected on, fragments included; one selected on an interface or a
// union holds for every type.
func TestSelectionOf(t *testing.T) {
	t.Parallel()
	doc, errs := gqlparser.LoadQuery(gqlparser.MustLoadSchema(sources...), `{ parts(first: 1) { edges { node { ...p } } } me { id } }
		fragment p on Part { quantity partInventories { ... on PartInventory { status } } }`)
	if errs != nil {
		t.Fatal(errs)
	}
	sel := selectionOf(doc.Operations[0].SelectionSet)
	for _, tc := range []struct {
		typeName, field string
		want            bool
	}{{"Part", "quantity", true}, {"PartInventory", "status", true}, {"User", "id", true}, {"Part", "attributes", false}, {"PartInventory", "quantity", false}} {
		if got := sel.Selects(tc.typeName, tc.field); got != tc.want {
			t.Errorf("%s.%s selected: %v, want %v", tc.typeName, tc.field, got, tc.want)
		}
	}
	sel[selectedField{anyType, "name"}] = struct{}{}
	if !sel.Selects("Location", "name") {
		t.Error("a field selected on an interface does not hold for its types")
	}
}
