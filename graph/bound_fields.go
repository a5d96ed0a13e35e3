//go:build ignore

// bound_fields rewrites gqlgen's generated field functions whose resolver
// only returns a value the object holds (`return obj.X, nil`, no directive)
// into calls of resolveBound (inorder.go). go:generate runs it in graph/.
package main

import (
	"log"
	"os"
	"path/filepath"
	"regexp"
)

var boundField = regexp.MustCompile(`return graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.(fieldContext_\w+)\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
			return (obj\.[\w.]+), nil
		\},
		nil,
		func\(ctx context\.Context, selections ast\.SelectionSet, v [^)]+\) graphql\.Marshaler \{
			return ec\.(\w+)\(ctx, selections, v\)
		\},
		(true|false),
		(?:true|false),
	\)`)

func main() {
	files, err := filepath.Glob("*.generated.go")
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			log.Fatal(err)
		}
		out := boundField.ReplaceAll(src, []byte("return resolveBound(ctx, ec, field, (*executionContext).${1}, ${2}, (*executionContext).${3}, ${4})"))
		if err := os.WriteFile(name, out, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
