package graph

import (
	"sync"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// objectArena is where an operation's objects, lists and field contexts take
// their memory from, and where the fields each selection collects are kept
// for the operation (go:generate adds one to executionContext and points the
// generated code at it). gqlgen allocates per object a field set, its values
// and the key of its cache of collected fields, per list element a context
// and per resolver field a field context: a list of 600 objects costs
// thousands of allocations. The arena hands them out from slabs, each twice
// the last up to a bound, and keys its cache by the selection's and the
// type's slices themselves. Root fields resolve concurrently, so it is
// locked.
type objectArena struct {
	mu        sync.Mutex
	objects   slab[arenaObject]
	values    slab[graphql.Marshaler]
	elements  slab[element]
	contexts  slab[graphql.FieldContext]
	collected map[collectedKey][]graphql.CollectedField
	keys      map[*graphql.CollectedField][]string // objectKeys by collected fields
}

// arenaObject is an object and its field set, in one slab.
type arenaObject struct {
	object
	set graphql.FieldSet
}

// collectedKey is a selection set and the type names it is collected for, as
// gqlgen keys its cache: the slices' first elements and lengths.
type collectedKey struct {
	selection *ast.Selection
	n         int
	satisfies *string
	types     int
}

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

// object is an object with a field set of fields, as graphql.NewFieldSet
// makes. One with a deferred field gets gqlgen's own field set: deferring
// reads the field set's fields, which only gqlgen can set.
func (ec *executionContext) object(fields []graphql.CollectedField) *object {
	a := &ec.objects
	a.mu.Lock()
	defer a.mu.Unlock()
	keys, ok := a.keys[unsafe.SliceData(fields)]
	if !ok || len(keys) != len(fields) {
		keys = objectKeys(fields)
		if a.keys == nil {
			a.keys = map[*graphql.CollectedField][]string{}
		}
		a.keys[unsafe.SliceData(fields)] = keys
	}
	for _, f := range fields {
		if f.IsDeferred() {
			return &object{graphql.NewFieldSet(fields), keys}
		}
	}
	o := &a.objects.take(1, 16, 1024)[0]
	o.set.Values = a.values.take(len(fields), 128, 8192)
	o.object = object{&o.set, keys}
	return &o.object
}

// list is the values and the elements of a list of length.
func (a *objectArena) list(length int) (graphql.Array, []element) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.values.take(length, 128, 8192), a.elements.take(length, 16, 512)
}

// fieldContext is a field context for a field of the operation.
func (a *objectArena) fieldContext() *graphql.FieldContext {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &a.contexts.take(1, 16, 512)[0]
}

// slab is the free part of the last block of Ts made, and that block's
// size.
type slab[T any] struct {
	free  []T
	block int
}

// take is the next n zero Ts: from the current block, or from a new one,
// first large at first and twice the last after, at most most (or n).
func (s *slab[T]) take(n, first, most int) []T {
	if len(s.free) < n {
		s.block = min(max(2*s.block, first), most)
		s.free = make([]T, max(n, s.block))
	}
	taken := s.free[:n:n]
	s.free = s.free[n:]
	return taken
}
