package shopfloor

import "context"

// Selection is what an operation reads: the store computes a derived field
// (a sum, a status, a subquery) only when the operation selects it.
type Selection interface {
	// Selects reports whether the operation selects field of the GraphQL
	// object type typeName anywhere.
	Selects(typeName, field string) bool
	// SelectsField reports whether the operation selects field on any
	// type: a list counts its matches only when totalCount is selected.
	SelectsField(field string) bool
}

type selectionKey struct{}

// WithSelection returns a context whose reads compute only what sel
// selects.
func WithSelection(ctx context.Context, sel Selection) context.Context {
	return context.WithValue(ctx, selectionKey{}, sel)
}

// SelectionFrom returns the selection of ctx, or nil: a context without
// one (the commands, the store's own logic) reads every field.
func SelectionFrom(ctx context.Context) Selection {
	sel, _ := ctx.Value(selectionKey{}).(Selection)
	return sel
}
