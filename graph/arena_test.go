package graph

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Field sets from the arena have a value per field and share none, across
// slabs; an object with a deferred field gets gqlgen's own; a selection's
// fields are collected once per type.
func TestObjectArena(t *testing.T) {
	t.Parallel()
	ec := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	type taken struct {
		set *graphql.FieldSet
		n   int
	}
	var sets []taken
	for i := range 3000 {
		n := i % 40
		set := ec.fieldSet(make([]graphql.CollectedField, n))
		if len(set.Values) != n || cap(set.Values) != n {
			t.Fatalf("set %d: %d values (cap %d), want %d", i, len(set.Values), cap(set.Values), n)
		}
		for j := range set.Values {
			set.Values[j] = graphql.MarshalInt(i)
		}
		sets = append(sets, taken{set, i})
	}
	seen := map[*graphql.FieldSet]bool{}
	for _, s := range sets {
		if seen[s.set] {
			t.Fatalf("set %d given twice", s.n)
		}
		seen[s.set] = true
		for _, v := range s.set.Values {
			if got, want := marshaled(v), marshaled(graphql.MarshalInt(s.n)); got != want {
				t.Fatalf("set %d holds another's value %s", s.n, got)
			}
		}
	}
	deferred := []graphql.CollectedField{{Field: &ast.Field{Name: "a"}, Deferrables: []*graphql.Deferrable{{Label: "x"}}}}
	if set := ec.fieldSet(deferred); seen[set] || len(set.Values) != 1 {
		t.Error("an object with a deferred field got an arena field set")
	}

	part, location := []string{"Part"}, []string{"Location"}
	sel := ast.SelectionSet{&ast.Field{Name: "id", Alias: "id"}}
	first := ec.collectFields(sel, part)
	if len(first) != 1 || first[0].Alias != "id" {
		t.Fatalf("collected %+v", first)
	}
	if again := ec.collectFields(sel, part); &again[0] != &first[0] {
		t.Error("the same selection was collected twice")
	}
	if other := ec.collectFields(sel, location); len(other) != 1 || &other[0] == &first[0] {
		t.Error("another type's collection came from the cache")
	}
}

func marshaled(m graphql.Marshaler) string {
	var b strings.Builder
	m.MarshalGQL(&b)
	return b.String()
}
