package shopfloor

import "context"

// Preloads receives the related rows a read found in its own statement,
// joined in passing, so that resolving them later costs no statement of
// its own. It belongs to one request, as that request's loaders do.
type Preloads interface {
	// Locations receives locations by the ids that named them; a nil value
	// is an id that names no live location of the caller's organization.
	Locations(map[int64]*Location)
}

type preloadsKey struct{}

// WithPreloads returns a context whose reads hand what they join in passing
// to p, for the related fields its operation selects.
func WithPreloads(ctx context.Context, p Preloads) context.Context {
	return context.WithValue(ctx, preloadsKey{}, p)
}

// PreloadsFrom returns the preloads of ctx, or nil: without them a read
// joins nothing in passing.
func PreloadsFrom(ctx context.Context) Preloads {
	p, _ := ctx.Value(preloadsKey{}).(Preloads)
	return p
}
