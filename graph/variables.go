package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// enumCase is the executor extension that matches enum values in JSON
// variables as ION does, before they are validated: "part" and "Part" are
// PART. It walks each variable's declared type through lists and input
// objects, so every enum of the schema is covered, nested or not. Numeric
// strings need nothing here: gqlparser already reads "12.5" as a Float.
type enumCase struct {
	schema *ast.Schema
	// docs is the executor's cache of validated documents: a query seen
	// before is not parsed again.
	docs graphql.Cache[*ast.QueryDocument]
}

var _ graphql.OperationParameterMutator = enumCase{}

func (enumCase) ExtensionName() string                          { return "EnumCase" }
func (enumCase) Validate(schema graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters rewrites params.Variables in place. A query
// that does not parse is left to the executor, which reports it.
func (e enumCase) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if len(params.Variables) == 0 {
		return nil
	}
	doc, ok := e.docs.Get(ctx, params.Query)
	if !ok {
		var err error
		if doc, err = parser.ParseQuery(&ast.Source{Input: params.Query}); err != nil {
			return nil
		}
	}
	op := doc.Operations.ForName(params.OperationName)
	if op == nil {
		return nil
	}
	for _, def := range op.VariableDefinitions {
		if v, ok := params.Variables[def.Variable]; ok {
			params.Variables[def.Variable] = e.value(def.Type, v)
		}
	}
	return nil
}

// value returns v, of type t, with its enum values spelled as the schema's.
func (e enumCase) value(t *ast.Type, v any) any {
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value where a list is expected
			return e.value(t.Elem, v)
		}
		for i := range list {
			list[i] = e.value(t.Elem, list[i])
		}
		return list
	}
	def := e.schema.Types[t.NamedType]
	if def == nil {
		return v
	}
	switch def.Kind {
	case ast.Enum:
		if s, ok := v.(string); ok && def.EnumValues.ForName(s) == nil {
			for _, ev := range def.EnumValues {
				if strings.EqualFold(ev.Name, s) {
					return ev.Name
				}
			}
		}
	case ast.InputObject:
		if m, ok := v.(map[string]any); ok {
			for k, fv := range m {
				if f := def.Fields.ForName(k); f != nil {
					m[k] = e.value(f.Type, fv)
				}
			}
		}
	}
	return v
}
