//go:build ignore

// bound_fields rewrites gqlgen's generated field functions whose resolver
// only returns a value the object holds (`return obj.X, nil`, no directive)
// into calls of resolveBound (inorder.go), or, when the value's marshaler
// never reads its context (a string, an id, a boolean, an int, JSON: no
// error, no null, no panic), into a leaf of leaves.go, without a field
// context; a Float field's finite value is a leaf too (floatAt). Fields
// whose resolver takes only the object call it through resolveWith
// (inorder.go). An object's resolver fields are resolved in order, on the
// caller's goroutine, by resolveInOrder (inorder.go), which gets each as
// the method and its arguments. List elements of struct type are marshaled
// from the list itself rather than from a copy of each. go:generate runs it
// in graph/.
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
const contextFree = `(graphql\.MarshalString|graphql\.MarshalBoolean|graphql\.MarshalInt|graphql\.MarshalInt64|model\.MarshalID)`

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
	// contextFreeJSON is the nullable JSON scalar's marshaler.
	contextFreeJSON = regexp.MustCompile(`func \(ec \*executionContext\) (marshalO[^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v any\) graphql\.Marshaler \{
	if v == nil \{
		return graphql\.Null
	\}
	_ = sel
	_ = ctx
	res := (model\.MarshalJSON)\(v\)
	return res
\}`)
	// boundCall is a rewritten field: its value and its marshaler.
	boundCall = regexp.MustCompile(`return resolveBound\(ctx, ec, field, \(\*executionContext\)\.\w+, (obj\.[\w.]+), \(\*executionContext\)\.([^,]+), (?:true|false)\)`)
	// byValue is the marshaler of a struct passed by value, which only
	// passes its copy's address on to the object's marshaler.
	byValue = regexp.MustCompile(`func \(ec \*executionContext\) (marshal[NO][^(]+)\(ctx context\.Context, sel ast\.SelectionSet, v [\w.]+\) graphql\.Marshaler \{
	return ec\.(_\w+)\(ctx, sel, &v\)
\}`)
	// floatMarshaler is gqlgen's marshaler of a non-null or a nullable
	// Float, which reads its context only for a value that is not finite.
	floatMarshaler = regexp.MustCompile(`^marshal([NO])Float2(ᚖ?)float64$`)
	// concurrentCall is gqlgen's call resolving a resolver field of an
	// object on a goroutine of its own, the field given as a closure.
	concurrentCall = regexp.MustCompile(`out\.ResolveConcurrently\(ec\.OperationContext, &deferred, i,
				((?:true|false), (?:true|false)),
				func\(ctx context\.Context\) graphql\.Marshaler \{
					return ec\.(_\w+)\(ctx, field, obj\)
				\}\)`)
	// elementCall is a list marshaler's call for its element i.
	elementCall = regexp.MustCompile(`return ec\.(marshal[NO][^(]+)\(ctx, sel, v\[i\]\)`)
)

// leaf is what a context-free marshaler writes: its scalar's marshaler, and
// whether its value is a pointer, nil for null.
type leaf struct {
	scalar   string
	nullable bool
}

// leafReturn is the body of a bound field whose value v has marshaler l.
func leafReturn(l leaf, v []byte) []byte {
	ptr, value := "&"+string(v), string(v)
	if l.nullable {
		ptr, value = string(v), "*"+string(v)
	}
	var ret string
	switch l.scalar {
	case "graphql.MarshalBoolean":
		ret = "boolean(" + value + ")"
	case "model.MarshalJSON": // a nullable interface, written as it is
		ret = "model.MarshalJSON(" + string(v) + ")"
	case "graphql.MarshalString":
		ret = "stringAt{" + ptr + "}"
	case "graphql.MarshalInt":
		ret = "intAt{" + ptr + "}"
	default: // graphql.MarshalInt64, model.MarshalID
		ret = "int64At{" + ptr + "}"
	}
	if !l.nullable {
		return []byte("return " + ret)
	}
	return []byte("if " + string(v) + " == nil {\n\t\treturn graphql.Null\n\t}\n\treturn " + ret)
}

// floatReturn is the body of a bound Float field whose value v is a
// float64 (or a pointer to one, nullable): a floatAt when the value is
// finite, else call, which reports the error.
func floatReturn(v []byte, pointer bool, call []byte) []byte {
	ptr, value := "&"+string(v), string(v)
	if pointer {
		ptr, value = string(v), "*"+string(v)
	}
	ret := "if finite(" + value + ") {\n\t\treturn floatAt{" + ptr + "}\n\t}\n\t" + string(call)
	if pointer {
		ret = "if " + string(v) + " == nil {\n\t\treturn graphql.Null\n\t}\n\t" + ret
	}
	return []byte(ret)
}

// resolveFieldCall is gqlgen's call of graphql.ResolveField for a field
// without a directive whose resolver's body is resolver, whose value has a
// type matching valueType and whose last flag (nonNull) matches nonNull.
// Its groups: the field context function, those of resolver and valueType,
// the marshaler, recoverFromPanic, and those of nonNull.
func resolveFieldCall(resolver, valueType, nonNull string) *regexp.Regexp {
	return regexp.MustCompile(`return graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.(fieldContext_\w+)\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
			return ` + resolver + `
		\},
		nil,
		func\(ctx context\.Context, selections ast\.SelectionSet, v ` + valueType + `\) graphql\.Marshaler \{
			return ec\.([^(]+)\(ctx, selections, v\)
		\},
		(true|false),
		` + nonNull + `,
	\)`)
}

var (
	// boundField is a generated field whose resolver only returns a value
	// the object holds.
	boundField = resolveFieldCall(`(obj\.[\w.]+), nil`, `[^)]+`, `(?:true|false)`)
	// resolverField is a generated field whose resolver takes only the
	// object and returns a pointer or a slice.
	resolverField = resolveFieldCall(`(ec\.Resolvers\.\w+\(\)\.\w+\(ctx, obj\))`, `([[*][^)]+)`, `(true|false)`)
)

func main() {
	files, err := filepath.Glob("*.generated.go")
	if err != nil {
		log.Fatal(err)
	}
	srcs := make([][]byte, len(files))
	free := map[string]leaf{}
	objects := map[string]string{}
	for i, name := range files {
		if srcs[i], err = os.ReadFile(name); err != nil {
			log.Fatal(err)
		}
		for nullable, re := range []*regexp.Regexp{contextFreeNonNull, contextFreeNullable, contextFreeJSON} {
			for _, m := range re.FindAllSubmatch(srcs[i], -1) {
				free[string(m[1])] = leaf{string(m[2]), nullable > 0}
			}
		}
		for _, m := range byValue.FindAllSubmatch(srcs[i], -1) {
			objects[string(m[1])] = string(m[2])
		}
	}
	for i, name := range files {
		out := boundField.ReplaceAll(srcs[i], []byte("return resolveBound(ctx, ec, field, (*executionContext).${1}, ${2}, (*executionContext).${3}, ${4})"))
		out = resolverField.ReplaceAll(out, []byte("return resolveWith(ctx, ec, field, (*executionContext).${1}, func(ctx context.Context) (${3}, error) {\n\t\treturn ${2}\n\t}, (*executionContext).${4}, ${5}, ${6})"))
		out = boundCall.ReplaceAllFunc(out, func(call []byte) []byte {
			m := boundCall.FindSubmatch(call)
			if f := floatMarshaler.FindSubmatch(m[2]); f != nil && (f[1][0] == 'N') == (len(f[2]) == 0) {
				return floatReturn(m[1], len(f[2]) > 0, call)
			}
			l, ok := free[string(m[2])]
			if !ok {
				return call
			}
			return leafReturn(l, m[1])
		})
		out = concurrentCall.ReplaceAll(out, []byte("resolveInOrder(ctx, out, field, ec.OperationContext, &deferred, i,\n\t\t\t\t${1}, ec, obj, (*executionContext).${2})"))
		out = elementCall.ReplaceAllFunc(out, func(call []byte) []byte {
			object, ok := objects[string(elementCall.FindSubmatch(call)[1])]
			if !ok {
				return call
			}
			return []byte("return ec." + object + "(ctx, sel, &v[i])")
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
