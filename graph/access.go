package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
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

// admitRootFields is the field middleware that lets a root field run only
// when the principal may run the operation at all (shopfloor.Admit) and
// the field's feature flag is on. Each refused field fails alone, with its
// path, as a 403; role permissions are checked further in, by the store.
func admitRootFields(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || (fc.Object != "Query" && fc.Object != "Mutation") || strings.HasPrefix(fc.Field.Name, "__") {
		return next(ctx)
	}
	if err := shopfloor.Admit(ctx, fc.Object == "Mutation" || writingQueries[fc.Field.Name]); err != nil {
		return nil, err
	}
	if f, ok := fieldFeatures[fc.Field.Name]; ok {
		if err := shopfloor.RequireFeature(ctx, f); err != nil {
			return nil, err
		}
	}
	return next(ctx)
}
