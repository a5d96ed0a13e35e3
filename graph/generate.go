// Package graph serves Shopfloor's GraphQL API: the schema (schema/), the
// code gqlgen generates from it (one <name>.generated.go per schema file),
// thin resolvers over shopfloor.Store, per-request batch loaders, and the
// error presenter that maps every error to the contract's wire shape.
package graph

//go:generate go tool gqlgen generate --config gqlgen.yml
//go:generate sh -c "sed -i -e 's/etag \\*string, etag \\*string/etag *string, underscoreEtag *string/' *.generated.go *.resolvers.go"
// Below the root fields, list elements and resolver fields are resolved in
// order on the caller's goroutine, objects without @defer fields make no
// deferred group, and objects are written without allocating per field
// (inorder.go); an operation's data goes into a pooled buffer that the
// handler gives back once the answer is written (response.go), and once it
// is written the operation's arena is released (arena.go).
//go:generate sh -c "sed -i -e 's/var buf bytes\\.Buffer/buf := dataBuffer(ctx)/' -e 's/data\\.MarshalGQL(&buf)/data.MarshalGQL(buf)\\n\\t\\t\\tec.release()/' -e '/^\t\"bytes\"$/d' root_.generated.go"
// A field bound to a value the object holds resolves through resolveBound
// (inorder.go), without the closures and middleware of a resolver's field;
// an object's resolver fields resolve through resolveInOrder.
//go:generate go run bound_fields.go
//go:generate sh -c "sed -i -e 's/graphql\\.MarshalSliceConcurrently(/ec.marshalSliceInOrder(/' -e 's/deferred := graphql\\.NewDeferredGroup(ctx)/deferred := deferredGroupOf(ctx, out)/' *.generated.go"
// Objects, their field sets and the field contexts of fields come from the
// operation's objectArena (arena.go), which also keeps the fields each
// selection collects.
//go:generate sh -c "sed -i -e 's/fields := graphql\\.CollectFields(ec\\.OperationContext, sel, /fields := ec.collectFields(sel, /' -e 's/out := graphql\\.NewFieldSet(fields)/out := ec.object(fields)/' -e 's/^\tfc = \\&graphql\\.FieldContext{$/\tfc = ec.objects.fieldContext()\\n\t*fc = graphql.FieldContext{/' *.generated.go"
//go:generate sh -c "sed -i -e 's/^\t\\*graphql\\.ExecutionContextState\\[ResolverRoot, DirectiveRoot, ComplexityRoot\\]$/\\0\\n\tobjects objectArena/' root_.generated.go"
