package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
)

// mutationDeadline is the root-field middleware that keeps a request
// deadline from splitting what a client sees from what was written. The
// root fields of a mutation run one after another: a field that has
// started runs to its end, deadline or not (each of its statements is
// still bounded by the store's statement timeout), and once the deadline
// has passed the fields not yet started do not run: each fails with
// CodeTimeout. The answer is then HTTP 200 with the finished fields' data.
func mutationDeadline(timeout time.Duration) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		if graphql.GetOperationContext(ctx).Operation.Operation != ast.Mutation {
			return next(ctx)
		}
		if ctx.Err() == nil {
			return next(context.WithoutCancel(ctx))
		}
		addRootFieldError(ctx, graphql.GetRootFieldContext(ctx).Field, errDidNotRun(timeout, "field"))
		return graphql.Null
	}
}

// errDidNotRun is the error of a root field, or of an operation of a batch
// (what), that the deadline kept from running.
func errDidNotRun(timeout time.Duration, what string) error {
	return shopfloor.Errorf(shopfloor.CodeTimeout, "The request did not finish within %s: this %s did not run; retry it.", timeout, what)
}
