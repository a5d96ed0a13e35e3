//go:build ignore

// bound_fields rewrites gqlgen's generated field functions whose resolver
// only returns a value the object holds (`return obj.X, nil`, no directive)
// into calls of resolveBound (inorder.go), or, when the value's marshaler
// never reads its context (a string, an id, a boolean, an int: no error, no
// null, no panic), into the marshaler's call itself, without a field
// context. go:generate runs it in graph/.
package main

import (
	"bytes"
	"log"
	"os"
	"path/filepath"
	"regexp"
)

// contextFree are the scalar marshalers that never return null, so never
// read the context they get: gqlgen's non-null and nullable marshaler
// bodies around them.
const contextFree = `(?:graphql\.MarshalString|graphql\.MarshalBoolean|graphql\.MarshalInt|graphql\.MarshalInt64|model\.MarshalID)`

var (
	contextFreeNonNull = regexp.MustCompile(`func \(ec \*executionContext\) (marshalN[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v \w+\) graphql\.Marshaler \{
	_ = sel
	res := ` + contextFree + `\(v\)
	if res == graphql\.Null \{
		graphql\.AddInvalidNullFromMarshaler\(ctx, "[^"]+"\)
	\}
	return res
\}`)
	contextFreeNullable = regexp.MustCompile(`func \(ec \*executionContext\) (marshalO[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v \*\w+\) graphql\.Marshaler \{
	if v == nil \{
		return graphql\.Null
	\}
	_ = sel
	_ = ctx
	res := ` + contextFree + `\(\*v\)
	return res
\}`)
	// boundCall is a rewritten field: its value and its marshaler.
	boundCall = regexp.MustCompile(`return resolveBound\(ctx, ec, field, \(\*executionContext\)\.\w+, (obj\.[\w.]+), \(\*executionContext\)\.([^,]+), (?:true|false)\)`)
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
			return ec\.([^(]+)\(ctx, selections, v\)
		\},
		(true|false),
		(?:true|false),
	\)`)

func main() {
	files, err := filepath.Glob("*.generated.go")
	if err != nil {
		log.Fatal(err)
	}
	srcs := make([][]byte, len(files))
	free := map[string]bool{}
	for i, name := range files {
		if srcs[i], err = os.ReadFile(name); err != nil {
			log.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{contextFreeNonNull, contextFreeNullable} {
			for _, m := range re.FindAllSubmatch(srcs[i], -1) {
				free[string(m[1])] = true
			}
		}
	}
	for i, name := range files {
		out := boundField.ReplaceAll(srcs[i], []byte("return resolveBound(ctx, ec, field, (*executionContext).${1}, ${2}, (*executionContext).${3}, ${4})"))
		out = boundCall.ReplaceAllFunc(out, func(call []byte) []byte {
			m := boundCall.FindSubmatch(call)
			if !free[string(m[2])] {
				return call
			}
			return bytes.Join([][]byte{[]byte("return ec."), m[2], []byte("(ctx, field.Selections, "), m[1], []byte(")")}, nil)
		})
		// The closures of time fields were a file's only use of package time.
		if !bytes.Contains(out, []byte("time.")) {
			out = bytes.Replace(out, []byte("\t\"time\"\n"), nil, 1)
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
