package graph

import (
	"bytes"
	"context"
	"io"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// The executor gqlgen generates resolves every list element, and every field
// that has a resolver, on a goroutine of its own. Below the root fields a
// request never needs that: nested relations come from the per-request
// batchers (loaders.go), which fetch a whole level in one statement on its
// first load and answer the rest from memory. So go:generate (generate.go)
// points the generated code at these two functions, which do the same work in
// order on the caller's goroutine; root fields still run concurrently, under
// their middleware (admission, deadline, organization slots).

// marshalSliceInOrder is graphql.MarshalSliceConcurrently, element after
// element: each element gets its own field context (its index, for error
// paths), and a panic makes that element null, as there. The elements, their
// field contexts and the list's values come from the operation's arena.
func (ec *executionContext) marshalSliceInOrder(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret, elements := ec.objects.list(length)
	parent := graphql.GetFieldContext(ctx)
	for i := range elements {
		e := &elements[i]
		e.index = i
		e.fc.Index, e.fc.Parent = &e.index, parent
		e.ctx = elementContext{ctx, &e.fc}
		childCtx := context.Context(&e.ctx)
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}

// element is a list element's field context and the context that carries it.
type element struct {
	fc    graphql.FieldContext
	index int
	ctx   elementContext
}

// elementContext is graphql.WithFieldContext's context for a list element,
// without a context.WithValue per element: it answers gqlgen's field
// context key with the element's field context and asks its parent for the
// rest.
type elementContext struct {
	context.Context
	fc *graphql.FieldContext
}

func (c *elementContext) Value(key any) any {
	if key == fieldContextKey {
		return c.fc
	}
	return c.Context.Value(key)
}

// fieldContextKey is the key under which gqlgen keeps a field context,
// unexported there: the key graphql.GetFieldContext asks a context for.
var fieldContextKey = func() any {
	var probe keyProbe
	graphql.GetFieldContext(&probe)
	return probe.key
}()

// keyProbe is a context that records the key it is asked for.
type keyProbe struct {
	context.Context
	key any
}

func (p *keyProbe) Value(key any) any {
	p.key = key
	return nil
}

// resolveInOrder is (*graphql.FieldSet).ResolveConcurrently resolving field i
// of out at once, counting an invalid result against out.Invalids as the
// generated code does for fields without a resolver. The field is
// resolve(ec, ctx, field, obj): a method expression and its arguments, not
// a closure over them, which would escape to the heap for every field of
// every object because a deferred field (@defer) needs one: only that field
// gets one, and is left to gqlgen, which resolves it after the initial
// payload.
func resolveInOrder[T any](ctx context.Context, out *object, field graphql.CollectedField, oc *graphql.OperationContext, deferred *graphql.DeferredGroup,
	i int, recoverFromPanic, nonNull bool, ec *executionContext, obj T, resolve func(*executionContext, context.Context, graphql.CollectedField, T) graphql.Marshaler) {
	if field.IsDeferred() {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, func(ctx context.Context) graphql.Marshaler {
			return resolve(ec, ctx, field, obj)
		})
		return
	}
	out.Values[i] = resolveRecovering(ctx, oc, recoverFromPanic, func(ctx context.Context) graphql.Marshaler {
		return resolve(ec, ctx, field, obj)
	})
	invalid := graphql.Marshaler(graphql.RequiredNull)
	if nonNull {
		invalid = graphql.Null
	}
	if out.Values[i] == invalid {
		atomic.AddUint32(&out.Invalids, 1)
	}
}

// resolveRecovering runs resolve; with recoverFromPanic, a panic is reported
// through oc and resolves to null.
func resolveRecovering(ctx context.Context, oc *graphql.OperationContext, recoverFromPanic bool, resolve func(ctx context.Context) graphql.Marshaler) (res graphql.Marshaler) {
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				oc.Error(ctx, oc.Recover(ctx, r))
				res = graphql.Null
			}
		}()
	}
	return resolve(ctx)
}

// deferredGroupOf is graphql.NewDeferredGroup for an object whose fields
// carry @defer; for the others (nearly all) it is an empty group, without
// the path, field set and map gqlgen would allocate for every object.
func deferredGroupOf(ctx context.Context, out *object) graphql.DeferredGroup {
	if out.deferred {
		return graphql.NewDeferredGroup(ctx)
	}
	return graphql.DeferredGroup{}
}

// object is an object's field set, as the generated code fills it, with
// what it writes before each field's value (objectKeys); it writes them as
// (*graphql.FieldSet).MarshalGQL does, each response key once, in order,
// without allocating per field.
type object struct {
	*graphql.FieldSet
	objectShape
}

// objectShape is what objects of one set of collected fields share: what
// they write before each field's value, and whether a field is deferred.
type objectShape struct {
	keys     []string
	deferred bool
}

func (o *object) MarshalGQL(w io.Writer) {
	b, ok := w.(*bytes.Buffer) // the data buffer, but in tests
	if !ok {
		b = new(bytes.Buffer)
		defer func() { w.Write(b.Bytes()) }()
	}
	opened := false
	for i, key := range o.keys {
		if key == "" {
			continue
		}
		b.WriteString(key)
		o.Values[i].MarshalGQL(b)
		opened = true
	}
	if !opened {
		b.WriteByte('{')
	}
	b.WriteByte('}')
}

// objectKeys is what an object of fields writes before each field's value:
// `{"a":` before the first, `,"b":` before the others, and nothing for a
// field whose response key an earlier field has (gqlgen answers a key once,
// at its first field). A response key is a GraphQL name: nothing in it needs
// escaping.
func objectKeys(fields []graphql.CollectedField) []string {
	keys := make([]string, len(fields))
	seen := make(map[string]bool, len(fields))
	for i, f := range fields {
		if seen[f.Alias] {
			continue
		}
		keys[i] = `,"` + f.Alias + `":`
		if len(seen) == 0 {
			keys[i] = `{"` + f.Alias + `":`
		}
		seen[f.Alias] = true
	}
	return keys
}

// resolveBound is graphql.ResolveField for a field bound to a value the
// object already holds (no resolver, no directive): go:generate rewrites the
// generated calls whose resolver is only `return obj.X, nil` into it. It is
// resolveWith over that value, so it skips what such a field never needs:
// the closures around the value on the heap, the field middleware (Shopfloor
// installs none below the root: admission, deadline and slots are root-field
// middleware), and keeping the value as the field context's Result for a
// middleware to read. The field still gets its field context, so an error in
// marshal has its path, and a panic in marshal makes it null as there. The
// functions are method expressions, which cost no allocation, unlike
// closures or method values bound to ec.
func resolveBound[T any](ctx context.Context, ec *executionContext, field graphql.CollectedField,
	fieldContext func(*executionContext, context.Context, graphql.CollectedField) (*graphql.FieldContext, error),
	v T, marshal func(*executionContext, context.Context, ast.SelectionSet, T) graphql.Marshaler, recoverFromPanic bool) graphql.Marshaler {
	return resolveWith(ctx, ec, field, fieldContext, func(context.Context) (T, error) { return v, nil }, marshal, recoverFromPanic, false)
}

// resolveWith is graphql.ResolveField for a field whose resolver takes only
// the object (no arguments, no directive) and returns a pointer or a slice:
// go:generate rewrites those fields' calls into it. It calls the resolver
// itself, without the field middleware (Shopfloor installs none below the
// root) and without keeping the result as the field context's Result, so
// neither the resolver's closure nor its result escape to the heap. A
// resolver's error is reported at the field and makes it null, as there; a
// pointer or slice result is never a nil interface, so gqlgen's check for
// one has nothing to find.
func resolveWith[T any](ctx context.Context, ec *executionContext, field graphql.CollectedField,
	fieldContext func(*executionContext, context.Context, graphql.CollectedField) (*graphql.FieldContext, error),
	resolve func(context.Context) (T, error),
	marshal func(*executionContext, context.Context, ast.SelectionSet, T) graphql.Marshaler, recoverFromPanic, nonNull bool) (ret graphql.Marshaler) {
	fc, err := fieldContext(ec, ctx, field)
	if err != nil {
		return graphql.Null
	}
	ctx = ec.objects.withField(ctx, fc)
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				ec.Error(ctx, ec.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	v, err := resolve(ctx)
	if err != nil {
		ec.Error(ctx, graphql.AddFieldLocationToError(ctx, err))
		if fc.NonNull && !nonNull {
			return graphql.RequiredNull
		}
		return graphql.Null
	}
	return marshal(ec, ctx, field.Selections, v)
}
