// Package graph serves Shopfloor's GraphQL API: the schema (schema/), the
// code gqlgen generates from it, thin resolvers over shopfloor.Store,
// per-request batch loaders, and the error presenter that maps every error
// to the contract's wire shape.
package graph

//go:generate go tool gqlgen generate --config gqlgen.yml
//go:generate sed -i -e s/etag.\*string,.etag.\*string/etag\x20*string,\x20underscoreEtag\x20*string/ generated.go schema.resolvers.go oauth.resolvers.go
