package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
)

func TestMeasure(t *testing.T) {
	schema := gqlparser.MustLoadSchema(sources...)
	for _, tc := range []struct {
		query       string
		cost, depth int
	}{
		{`{ me { id } }`, 2, 2},
		{`{ parts(first: 50) { pageInfo { totalCount } } }`, 3, 3},
		{`{ parts(first: 50) { edges { node { id partNumber } } } }`, 1 + 1 + 50*(1+2), 4},
		{`{ parts { edges { node { id } } } }`, 1 + 1 + 1000*2, 4},
		{`query($n: Int) { parts(first: $n) { edges { node { partInventories { id } } } } }`, 1 + 1 + 7*(1+1+10*1), 5},
		{`{ parts(last: 2) { edges { ...f } } } fragment f on PartEdge { node { id } }`, 1 + 1 + 2*2, 4},
	} {
		doc, errs := gqlparser.LoadQuery(schema, tc.query)
		if errs != nil {
			t.Fatal(errs)
		}
		op := doc.Operations[0]
		cost, depth := measure(op.SelectionSet, 0, map[string]any{"n": int64(7)}, 1000)
		if cost != tc.cost || depth != tc.depth {
			t.Errorf("%s: cost %d depth %d, want %d %d", tc.query, cost, depth, tc.cost, tc.depth)
		}
	}
}
