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
	}{
		{`{ me { id } }`, 2, 2, 0},
		{`{ parts(first: 50) { pageInfo { totalCount } } }`, 3, 3, 0},
		{`{ parts(first: 50) { edges { node { id partNumber } } } }`, 1 + 1 + 50*(1+2), 4, 0},
		{`{ parts { edges { node { id } } } }`, 1 + 1 + 1000*2, 4, 0},
		{`query($n: Int) { parts(first: $n) { edges { node { partInventories { id } } } } }`, 1 + 1 + 7*(1+1+10*1), 5, 0},
		{`{ parts(last: 2) { edges { ...f } } } fragment f on PartEdge { node { id } }`, 1 + 1 + 2*2, 4, 0},
		// An introspection field costs 100 and counts depth 1, whatever it selects.
		{`{ __schema { types { fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } me { id } }`, 100 + 2, 2, 1},
		{`{ ...f __typename } fragment f on Query { a: __type(name: "Part") { name } b: __schema { queryType { name } } }`, 201, 1, 2},
	} {
		doc, errs := gqlparser.LoadQuery(schema, tc.query)
		if errs != nil {
			t.Fatal(errs)
		}
		op := doc.Operations[0]
		got := measureOperation(op.SelectionSet, map[string]any{"n": int64(7)}, 1000)
		if want := (shape{tc.cost, tc.depth, tc.introspections}); got != want {
			t.Errorf("%s: %+v, want %+v", tc.query, got, want)
		}
	}
}
