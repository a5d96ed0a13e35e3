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

// A slab reset gives its blocks out again, cleared, in the order they were
// made; a block made for one list longer than the bound is let go.
func TestSlabReset(t *testing.T) {
	t.Parallel()
	var s slab[int]
	var taken [][]int
	for _, n := range []int{3, 5, 9, 2, 40} {
		b := s.take(n, 4, 16)
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("take(%d) gave %v, not zero", n, b)
			}
			b[i] = n
		}
		taken = append(taken, b)
	}
	if got := lens(s.blocks); fmt.Sprint(got) != "[4 8 16 40]" {
		t.Fatalf("blocks of %v", got)
	}
	s.reset()
	if got := lens(s.blocks); fmt.Sprint(got) != "[4 8 16]" {
		t.Fatalf("kept blocks of %v", got)
	}
	for _, b := range s.blocks {
		for _, v := range b {
			if v != 0 {
				t.Fatalf("a reset block holds %d", v)
			}
		}
	}
	if b := s.take(4, 4, 16); &b[0] != &s.blocks[0][0] {
		t.Error("a reset slab made a new block where a kept one fits")
	}
	if b := s.take(8, 4, 16); &b[0] != &s.blocks[1][0] {
		t.Error("a reset slab skipped a kept block that fits")
	}
	if s.take(0, 4, 16) != nil {
		t.Error("take(0) gave memory")
	}
}

func lens(blocks [][]int) []int {
	var n []int
	for _, b := range blocks {
		n = append(n, len(b))
	}
	return n
}

// A released arena's objects and values serve the next operation, cleared,
// and its caches hold no earlier selection; the contexts it gave out stay
// as they were.
func TestArenaRelease(t *testing.T) {
	t.Parallel()
	fields := []graphql.CollectedField{{Field: &ast.Field{Alias: "a"}}, {Field: &ast.Field{Alias: "b"}}}
	first := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	for range 100 {
		o := first.object(fields)
		o.Values[0], o.Values[1] = graphql.MarshalInt(1), graphql.MarshalInt(2)
	}
	first.collectFields(ast.SelectionSet{&ast.Field{Name: "id", Alias: "id"}}, []string{"Part"})
	fc := &graphql.FieldContext{Object: "Part"}
	kept := first.objects.withField(context.Background(), fc)
	slabs := first.objects.reused
	first.release()
	// A context given out stays whole: a driver may watch it still.
	if kept.Done() != nil || graphql.GetFieldContext(kept) != fc || fc.Object != "Part" {
		t.Error("a context of a released arena changed")
	}
	if first.objects.reused != nil {
		t.Fatal("a released arena kept its slabs")
	}
	if len(slabs.collected) != 0 || len(slabs.shapes) != 0 {
		t.Error("released slabs kept an operation's caches")
	}
	for _, b := range slabs.values.blocks {
		for _, v := range b {
			if v != nil {
				t.Fatal("released slabs kept a value")
			}
		}
	}
	next := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	if o := next.object(fields); o.Values[0] != nil || o.Values[1] != nil {
		t.Error("a new operation's object holds values")
	}

	deferred := newExecutionContext(&graphql.OperationContext{}, nil, nil)
	deferred.object(fields)
	deferred.Deferred = 1
	deferred.release()
	if deferred.objects.reused == nil {
		t.Error("an operation with @defer gave its slabs back before its deferred fields ran")
	}
}
