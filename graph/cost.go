package graph

import (
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
)

// nestedListItems is what a plain list field (a relation such as
// partInventories) is assumed to hold when its cost is estimated.
const nestedListItems = 10

// introspectionCost is what one __schema or __type field costs. Its
// selection is exempt from the cost and depth of data fields: GraphQL's
// MaxIntrospectionDepth rule bounds how deep its lists nest, and
// MaxIntrospectionFields how many an operation may hold.
const introspectionCost = 100

// shape is what an operation asks for: its estimated cost, the depth of its
// data fields, and how many introspection fields (__schema, __type) it has.
type shape struct {
	cost, depth, introspections int
}

// measureOperation returns the shape of an operation's selection set.
func measureOperation(set ast.SelectionSet, vars map[string]any, maxPage int) shape {
	s := shape{introspections: countIntrospections(set)}
	s.cost, s.depth = measure(set, 0, vars, maxPage)
	return s
}

// countIntrospections counts the __schema and __type fields of a root
// selection set, fragments included.
func countIntrospections(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if isIntrospection(s) {
				n++
			}
		case *ast.InlineFragment:
			n += countIntrospections(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += countIntrospections(s.Definition.SelectionSet)
			}
		}
	}
	return n
}

func isIntrospection(f *ast.Field) bool { return f.Name == "__schema" || f.Name == "__type" }

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
	if isIntrospection(f) {
		return introspectionCost, 1
	}
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
