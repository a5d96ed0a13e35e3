package graph

import (
	"context"
	"io"
	"slices"
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
// paths), and a panic makes that element null, as there.
func marshalSliceInOrder(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	fcs := make([]graphql.FieldContext, length)
	indexes := make([]int, length)
	for i := range length {
		indexes[i] = i
		fcs[i].Index = &indexes[i]
		childCtx := graphql.WithFieldContext(ctx, &fcs[i])
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

// resolveInOrder is (*graphql.FieldSet).ResolveConcurrently resolving field i
// of out at once, counting an invalid result against out.Invalids as the
// generated code does for fields without a resolver. A deferred field
// (@defer) is left to gqlgen, which resolves it after the initial payload.
func resolveInOrder(ctx context.Context, out *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext, deferred *graphql.DeferredGroup,
	i int, recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler) {
	if field.IsDeferred() {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	out.Values[i] = resolveRecovering(ctx, oc, recoverFromPanic, resolve)
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
func deferredGroupOf(ctx context.Context, fields []graphql.CollectedField) graphql.DeferredGroup {
	for _, f := range fields {
		if f.IsDeferred() {
			return graphql.NewDeferredGroup(ctx)
		}
	}
	return graphql.DeferredGroup{}
}

// objectJSON writes an object's fields as (*graphql.FieldSet).MarshalGQL
// does, each response key once, in order, without allocating per field.
type objectJSON struct {
	fields []graphql.CollectedField
	values []graphql.Marshaler
}

// manyFields is where objectJSON stops looking for repeated keys by
// comparison and keeps a set.
const manyFields = 16

func (o objectJSON) MarshalGQL(w io.Writer) {
	var written map[string]struct{}
	if len(o.fields) > manyFields {
		written = make(map[string]struct{}, len(o.fields))
	}
	io.WriteString(w, "{")
	first := true
	for i := range o.fields {
		alias := o.fields[i].Alias
		if written != nil {
			if _, seen := written[alias]; seen {
				continue
			}
			written[alias] = struct{}{}
		} else if slices.ContainsFunc(o.fields[:i], func(f graphql.CollectedField) bool { return f.Alias == alias }) {
			continue
		}
		if !first {
			io.WriteString(w, ",")
		}
		first = false
		// A response key is a GraphQL name: nothing in it needs escaping.
		io.WriteString(w, `"`)
		io.WriteString(w, alias)
		io.WriteString(w, `":`)
		o.values[i].MarshalGQL(w)
	}
	io.WriteString(w, "}")
}

// resolveBound is graphql.ResolveField for a field bound to a value the
// object already holds (no resolver, no directive): go:generate rewrites the
// generated calls whose resolver is only `return obj.X, nil` into it. It
// skips what such a field never needs: the closures around the value, the
// field middleware (Shopfloor installs none below the root: admission,
// deadline and slots are root-field middleware), the null check of a value
// that is never a nil interface, and keeping the value as the field
// context's Result for a middleware to read. The field still gets its field
// context, so an error in marshal has its path, and a panic in marshal
// makes it null as there. The functions are method expressions, which cost
// no allocation, unlike closures or method values bound to ec.
func resolveBound[T any](ctx context.Context, ec *executionContext, field graphql.CollectedField,
	fieldContext func(*executionContext, context.Context, graphql.CollectedField) (*graphql.FieldContext, error),
	v T, marshal func(*executionContext, context.Context, ast.SelectionSet, T) graphql.Marshaler, recoverFromPanic bool) (ret graphql.Marshaler) {
	fc, err := fieldContext(ec, ctx, field)
	if err != nil {
		return graphql.Null
	}
	ctx = graphql.WithFieldContext(ctx, fc)
	if recoverFromPanic {
		defer func() {
			if r := recover(); r != nil {
				ec.Error(ctx, ec.Recover(ctx, r))
				ret = graphql.Null
			}
		}()
	}
	return marshal(ec, ctx, field.Selections, v)
}
