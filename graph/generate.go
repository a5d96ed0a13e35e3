// Package graph serves Shopfloor's GraphQL API: the schema (schema/), the
// code gqlgen generates from it (one <name>.generated.go per schema file),
// thin resolvers over shopfloor.Store, per-request batch loaders, and the
// error presenter that maps every error to the contract's wire shape.
package graph

//go:generate go tool gqlgen generate --config gqlgen.yml
//go:generate sh -c "sed -i -e 's/etag \\*string, etag \\*string/etag *string, underscoreEtag *string/' *.generated.go *.resolvers.go"
