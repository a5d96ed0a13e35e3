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
