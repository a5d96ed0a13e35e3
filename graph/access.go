package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
)

// fieldFeatures are the root fields behind a feature flag.
var fieldFeatures = map[string]shopfloor.Feature{
	"apiKeys":      shopfloor.FeatureAPIKeys,
	"createApiKey": shopfloor.FeatureAPIKeys,
	"updateApiKey": shopfloor.FeatureAPIKeys,
	"deleteApiKey": shopfloor.FeatureAPIKeys,

	"oauthApps":           shopfloor.FeatureOAuthApps,
	"registerOauthApp":    shopfloor.FeatureOAuthApps,
	"addOauthRedirectUri": shopfloor.FeatureOAuthApps,
	"deleteOauthApp":      shopfloor.FeatureOAuthApps,
}

// writingQueries are the Query fields that write (ION made them queries),
// admitted as mutations.
var writingQueries = map[string]bool{"requestFileUploadUrl": true}

// admitRootFields is the root-field middleware that lets a root field run
// only when the principal may run the operation at all (shopfloor.Admit) and
// the field's feature flag is on. Each refused field fails alone, with its
// path, as a 403; role permissions are checked further in, by the store.
// Fields below the root have no field middleware, so they pay none.
func admitRootFields(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rc := graphql.GetRootFieldContext(ctx)
	if strings.HasPrefix(rc.Field.Name, "__") {
		return next(ctx)
	}
	if err := shopfloor.Admit(ctx, graphql.GetOperationContext(ctx).Operation.Operation == ast.Mutation || writingQueries[rc.Field.Name]); err != nil {
		addRootFieldError(ctx, rc.Field, err)
		return graphql.Null
	}
	if f, ok := fieldFeatures[rc.Field.Name]; ok {
		if err := shopfloor.RequireFeature(ctx, f); err != nil {
			addRootFieldError(ctx, rc.Field, err)
			return graphql.Null
		}
	}
	return next(ctx)
}
