package graph

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Objects from the arena have a value per field and share none, across
// slabs; an object with a deferred field gets gqlgen's own field set; a
// selection's fields are collected once per type.
func TestObjectArena(t *testing.T) {
	t.Parallel()
	ec := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	type taken struct {
		set *object
		n   int
	}
	var sets []taken
	for i := range 3000 {
		n := i % 40
		fields := make([]graphql.CollectedField, n)
		for j := range fields {
			fields[j].Field = &ast.Field{Alias: fmt.Sprint("f", j)}
		}
		set := ec.object(fields)
		if len(set.Values) != n || cap(set.Values) != n {
			t.Fatalf("set %d: %d values (cap %d), want %d", i, len(set.Values), cap(set.Values), n)
		}
		for j := range set.Values {
			set.Values[j] = graphql.MarshalInt(i)
		}
		sets = append(sets, taken{set, i})
	}
	seen := map[*object]bool{}
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
	if set := ec.object(deferred); seen[set] || len(set.Values) != 1 {
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

// A list element's context carries its field context, under the list's,
// and its parent's values.
func TestElementContext(t *testing.T) {
	t.Parallel()
	type key struct{}
	list := &graphql.FieldContext{Object: "Run", Field: graphql.CollectedField{Field: &ast.Field{Alias: "steps"}}}
	ctx := graphql.WithFieldContext(context.WithValue(context.Background(), key{}, "kept"), list)
	ec := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	var paths []string
	ec.marshalSliceInOrder(ctx, 3, 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		if ctx.Value(key{}) != "kept" {
			t.Errorf("element %d lost its parent's values", i)
		}
		paths = append(paths, graphql.GetFieldContext(ctx).Path().String())
		return graphql.Null
	})
	if strings.Join(paths, " ") != "steps[0] steps[1] steps[2]" {
		t.Errorf("paths %v", paths)
	}
}
