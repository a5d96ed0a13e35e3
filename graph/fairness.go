package graph

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// orgSlots bounds the root fields each organization runs at once on this
// replica, across all its requests, so that one tenant cannot hold every
// connection of the database pool: its other fields wait for a slot, and
// other organizations keep theirs.
type orgSlots struct {
	size  int
	mu    sync.Mutex
	byOrg map[int64]chan struct{}
}

func newOrgSlots(size int) *orgSlots {
	return &orgSlots{size: size, byOrg: make(map[int64]chan struct{})}
}

func (s *orgSlots) of(org int64) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	slots, ok := s.byOrg[org]
	if !ok {
		slots = make(chan struct{}, s.size)
		s.byOrg[org] = slots
	}
	return slots
}

// middleware runs each root field in a slot of the caller's organization.
// A field still waiting at the deadline does not run.
func (s *orgSlots) middleware(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	field := graphql.GetRootFieldContext(ctx).Field
	p, err := shopfloor.PrincipalFrom(ctx)
	if s.size <= 0 || err != nil || strings.HasPrefix(field.Name, "__") {
		return next(ctx)
	}
	slots := s.of(p.OrgID)
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		addRootFieldError(ctx, field, shopfloor.Errorf(shopfloor.CodeTimeout, "The request did not finish within its deadline and was cancelled."))
		return graphql.Null
	}
	defer func() { <-slots }()
	return next(ctx)
}

// addRootFieldError fails a root field that did not run, at its path.
func addRootFieldError(ctx context.Context, field graphql.CollectedField, err error) {
	graphql.AddError(ctx, &gqlerror.Error{
		Err:       err,
		Path:      ast.Path{ast.PathName(field.Alias)},
		Locations: []gqlerror.Location{{Line: field.Position.Line, Column: field.Position.Column}},
	})
}
