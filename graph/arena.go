package graph

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// objectArena is where an operation's objects, lists and field contexts take
// their memory from, and where the fields each selection collects are kept
// for the operation (go:generate adds one to executionContext and points the
// generated code at it). gqlgen allocates per object a field set, its values
// and the key of its cache of collected fields, per list element a context
// and per resolver field a field context and its context: a list of 600
// objects costs thousands of allocations. The arena hands them out from
// slabs, each twice the last up to a bound, and keys its cache by the
// selection's and the type's slices themselves. Root fields resolve
// concurrently, so it is locked.
//
// Once the operation's data is written, release gives the slabs of objects
// and values, cleared, to the next operation: nothing refers to them but
// the data. Contexts and field contexts stay the operation's own, for the
// collector to take: what an operation's resolvers called may keep a
// context after the answer (a driver's watch on its Done, say).
type objectArena struct {
	mu       sync.Mutex
	elements slab[element]
	contexts slab[graphql.FieldContext]
	fields   slab[elementContext]
	*reused
}

// reused is the part of an arena that release gives back: taken from
// spares on the arena's first use.
type reused struct {
	objects   slab[arenaObject]
	values    slab[graphql.Marshaler]
	collected map[collectedKey][]graphql.CollectedField
	shapes    map[*graphql.CollectedField]objectShape // by collected fields
}

// spares are the reused parts of arenas whose operation's data is written.
var spares = sync.Pool{New: func() any {
	return &reused{collected: map[collectedKey][]graphql.CollectedField{}, shapes: map[*graphql.CollectedField]objectShape{}}
}}

// slabs is the arena's reused part; a.mu is held.
func (a *objectArena) slabs() *reused {
	if a.reused == nil {
		a.reused = spares.Get().(*reused)
	}
	return a.reused
}

// release gives the arena's reused part back for another operation, its
// objects and values cleared and its caches, keyed by this operation's
// selections, emptied. An operation with @defer keeps it (its deferred
// fields resolve after the first answer is written).
func (ec *executionContext) release() {
	if atomic.LoadInt32(&ec.Deferred) > 0 {
		return
	}
	a := &ec.objects
	a.mu.Lock()
	r := a.reused
	a.reused = nil
	a.mu.Unlock()
	if r == nil {
		return
	}
	r.objects.reset()
	r.values.reset()
	clear(r.collected)
	clear(r.shapes)
	spares.Put(r)
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
	fields, ok := a.slabs().collected[key]
	a.mu.Unlock()
	if ok {
		return fields
	}
	fields = graphql.CollectFields(ec.OperationContext, sel, satisfies)
	a.mu.Lock()
	a.slabs().collected[key] = fields
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
	s := a.slabs()
	shape, ok := s.shapes[unsafe.SliceData(fields)]
	if !ok || len(shape.keys) != len(fields) {
		shape = objectShape{keys: objectKeys(fields), deferred: slices.ContainsFunc(fields, graphql.CollectedField.IsDeferred)}
		s.shapes[unsafe.SliceData(fields)] = shape
	}
	if shape.deferred {
		return &object{graphql.NewFieldSet(fields), shape}
	}
	o := &s.objects.take(1, 16, 1024)[0]
	o.set.Values = s.values.take(len(fields), 128, 8192)
	o.object = object{&o.set, shape}
	return &o.object
}

// list is the values and the elements of a list of length.
func (a *objectArena) list(length int) (graphql.Array, []element) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.slabs().values.take(length, 128, 8192), a.elements.take(length, 16, 512)
}

// fieldContext is a field context for a field of the operation.
func (a *objectArena) fieldContext() *graphql.FieldContext {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &a.contexts.take(1, 16, 512)[0]
}

// withField is graphql.WithFieldContext(ctx, fc), with the context from the
// arena: fc under ctx's field context, answering gqlgen's key with fc.
func (a *objectArena) withField(ctx context.Context, fc *graphql.FieldContext) context.Context {
	fc.Parent = graphql.GetFieldContext(ctx)
	a.mu.Lock()
	c := &a.fields.take(1, 16, 512)[0]
	a.mu.Unlock()
	*c = elementContext{ctx, fc}
	return c
}

// slab is blocks of Ts: each block made is twice the last, up to a bound
// (most), and is kept when the slab is reset. Blocks past cur, and
// blocks[cur] past used, are zero.
type slab[T any] struct {
	blocks [][]T
	cur    int
	used   int
	most   int
}

// take is the next n zero Ts: from the current block, or from the next one
// large enough, or from a new one, first large at first and twice the last
// after, at most most (or n).
func (s *slab[T]) take(n, first, most int) []T {
	if n == 0 {
		return nil
	}
	for ; s.cur < len(s.blocks); s.cur, s.used = s.cur+1, 0 {
		if b := s.blocks[s.cur]; len(b)-s.used >= n {
			s.used += n
			return b[s.used-n : s.used : s.used]
		}
	}
	size := first
	if k := len(s.blocks); k > 0 {
		size = min(max(2*len(s.blocks[k-1]), first), most)
	}
	b := make([]T, max(n, size))
	s.blocks, s.most = append(s.blocks, b), most
	s.cur, s.used = len(s.blocks)-1, n
	return b[:n:n]
}

// reset makes every block free again, cleared. A block made larger than
// the bound for one long list (longer than the last block) is let go.
func (s *slab[T]) reset() {
	for i := range s.blocks[:min(s.cur, len(s.blocks))] {
		clear(s.blocks[i])
	}
	if s.cur < len(s.blocks) {
		clear(s.blocks[s.cur][:s.used])
	}
	s.blocks = slices.DeleteFunc(s.blocks, func(b []T) bool { return len(b) > s.most })
	s.cur, s.used = 0, 0
}
