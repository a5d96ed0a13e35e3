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
		parts       int // the organization's parts
	}{
		{`{ me { id } }`, 2, 2, 0},
		{`{ parts(first: 50) { pageInfo { totalCount } } }`, 3, 3, 0},
		{`{ parts(first: 50) { edges { node { id partNumber } } } }`, 1 + 1 + 50*(1+2), 4, 0},
		{`{ parts { edges { node { id } } } }`, 1 + 1 + 1000*2, 4, 0},
		{`query($n: Int) { parts(first: $n) { edges { node { partInventories { id } } } } }`, 1 + 1 + 7*(1+1+10*1), 5, 0},
		// 4,500 parts: a list of them touches all, first: 0 included.
		{`{ parts(first: 0, filters: {description: {ilike: "%zz%"}}) { totalCount } }`, 1 + 45 + 1, 2, 4500},
		{`{ a: parts(first: 0) { totalCount } b: partSubtypes(first: 1) { edges { node { id } } } }`, (1 + 45 + 1) + (1 + 1 + 1*2), 4, 4599},
		{`{ parts(last: 2) { edges { ...f } } } fragment f on PartEdge { node { id } }`, 1 + 1 + 2*2, 4, 0},
	} {
		doc, errs := gqlparser.LoadQuery(schema, tc.query)
		if errs != nil {
			t.Fatal(errs)
		}
		op := doc.Operations[0]
		model := costModel{vars: map[string]any{"n": int64(7)}, maxPage: 1000, rows: map[string]int{"Part": tc.parts, "PartSubtype": 99}}
		cost, depth := model.measure(op.SelectionSet, 0)
		if cost != tc.cost || depth != tc.depth {
			t.Errorf("%s: cost %d depth %d, want %d %d", tc.query, cost, depth, tc.cost, tc.depth)
		}
	}
}
