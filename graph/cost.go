package graph

import (
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
)

// nestedListItems is what a plain list field (a relation such as
// partInventories) is assumed to hold when its cost is estimated.
const nestedListItems = 10

// measure returns the estimated cost and the depth of a selection set. Every
// field costs 1. A connection's page size (first or last, else the maximum
// page size) multiplies the cost of its edges, not of its pageInfo; any
// other list multiplies its selection by nestedListItems. page is the page
// size of the connection the set belongs to (0 outside one).
func measure(set ast.SelectionSet, page int, vars map[string]any, maxPage int) (cost, depth int) {
	for _, sel := range set {
		var c, d int
		switch s := sel.(type) {
		case *ast.Field:
			c, d = measureField(s, page, vars, maxPage)
		case *ast.InlineFragment:
			c, d = measure(s.SelectionSet, page, vars, maxPage)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				c, d = measure(s.Definition.SelectionSet, page, vars, maxPage)
			}
		}
		cost += c
		depth = max(depth, d)
	}
	return cost, depth
}

func measureField(f *ast.Field, page int, vars map[string]any, maxPage int) (cost, depth int) {
	if f.Definition == nil || strings.HasPrefix(f.Name, "__") {
		c, d := measure(f.SelectionSet, 0, vars, maxPage)
		return 1 + c, 1 + d
	}
	items, childPage := 1, 0
	switch {
	case strings.HasSuffix(f.Definition.Type.Name(), "Connection"):
		childPage = pageSize(f, vars, maxPage)
	case f.Definition.Type.Elem != nil && page > 0:
		items = page // the edges of a connection: its page
	case f.Definition.Type.Elem != nil:
		items = nestedListItems
	}
	c, d := measure(f.SelectionSet, childPage, vars, maxPage)
	return 1 + items*c, 1 + d
}

// pageSize is the most items a connection field's page may hold.
func pageSize(f *ast.Field, vars map[string]any, maxPage int) int {
	for _, name := range []string{"first", "last"} {
		if arg := f.Arguments.ForName(name); arg != nil {
			if v, err := arg.Value.Value(vars); err == nil && v != nil {
				if n, err := shopfloor.ParseID(v); err == nil {
					return int(max(0, n))
				}
			}
		}
	}
	return maxPage
}
