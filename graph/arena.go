package graph

import (
	"sync"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// objectArena is what an operation's objects take their field sets from, and
// the fields each selection collects, kept for the operation (go:generate
// adds one to executionContext and points the generated objects at
// collectFields and fieldSet). gqlgen allocates two values per object for
// its field set, and allocates for the key of its own cache of collected
// fields on every object; a list of 600 objects then costs thousands of
// allocations. The arena hands out field sets from slabs instead, and keys
// its cache by the selection's and the type's slices themselves. Root fields
// resolve concurrently, so it is locked.
type objectArena struct {
	mu     sync.Mutex
	sets   []graphql.FieldSet
	values []graphql.Marshaler
	// setSlab and valueSlab are the sizes of the last slabs made.
	setSlab, valueSlab int
	collected          map[collectedKey][]graphql.CollectedField
}

// collectedKey is a selection set and the type names it is collected for, as
// gqlgen keys its cache: the slices' first elements and lengths.
type collectedKey struct {
	selection *ast.Selection
	n         int
	satisfies *string
	types     int
}

// Slab sizes: the first slab serves a small answer; each next one is twice
// the last, up to the largest.
const (
	firstSets, mostSets     = 16, 1024
	firstValues, mostValues = 128, 8192
)

// collectFields is graphql.CollectFields, once per selection and type in an
// operation.
func (ec *executionContext) collectFields(sel ast.SelectionSet, satisfies []string) []graphql.CollectedField {
	key := collectedKey{unsafe.SliceData(sel), len(sel), unsafe.SliceData(satisfies), len(satisfies)}
	a := &ec.objects
	a.mu.Lock()
	fields, ok := a.collected[key]
	a.mu.Unlock()
	if ok {
		return fields
	}
	fields = graphql.CollectFields(ec.OperationContext, sel, satisfies)
	a.mu.Lock()
	if a.collected == nil {
		a.collected = map[collectedKey][]graphql.CollectedField{}
	}
	a.collected[key] = fields
	a.mu.Unlock()
	return fields
}

// fieldSet is graphql.NewFieldSet from the arena's slabs. An object with a
// deferred field gets gqlgen's own: deferring reads the field set's fields,
// which only gqlgen can set.
func (ec *executionContext) fieldSet(fields []graphql.CollectedField) *graphql.FieldSet {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewFieldSet(fields)
		}
	}
	a := &ec.objects
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.sets) == 0 {
		a.setSlab = grow(a.setSlab, firstSets, mostSets)
		a.sets = make([]graphql.FieldSet, a.setSlab)
	}
	out := &a.sets[0]
	a.sets = a.sets[1:]
	if len(a.values) < len(fields) {
		a.valueSlab = grow(a.valueSlab, firstValues, mostValues)
		a.values = make([]graphql.Marshaler, max(len(fields), a.valueSlab))
	}
	out.Values = a.values[:len(fields):len(fields)]
	a.values = a.values[len(fields):]
	return out
}

// grow is the size of the slab after one of size last (none: 0): first, then
// twice the last, at most most.
func grow(last, first, most int) int {
	if last == 0 {
		return first
	}
	return min(2*last, most)
}
