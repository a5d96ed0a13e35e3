package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopfloor-dev/shopfloor"
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

// MutateOperationParameters rewrites params.Variables in place; a value
// outside its enum is the contract's 422 naming the field. A query that does
// not parse is left to the executor, which reports it.
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
			fixed, err := e.value("", "$"+def.Variable, def.Type, v)
			if err != nil {
				return &gqlerror.Error{Message: err.Message, Err: err, Path: ast.Path{ast.PathName("variable"), ast.PathName(def.Variable)}}
			}
			params.Variables[def.Variable] = fixed
		}
	}
	return nil
}

// value returns v, of type t, with its enum values spelled as the schema's;
// holder and field name where v stands (an input type and its field, or ""
// and the variable), for the error when a value is none of its enum's.
func (e enumCase) value(holder, field string, t *ast.Type, v any) (any, *shopfloor.Error) {
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok { // a single value where a list is expected
			return e.value(holder, field, t.Elem, v)
		}
		for i := range list {
			fixed, err := e.value(holder, field, t.Elem, list[i])
			if err != nil {
				return nil, err
			}
			list[i] = fixed
		}
		return list, nil
	}
	def := e.schema.Types[t.NamedType]
	if def == nil {
		return v, nil
	}
	switch def.Kind {
	case ast.Enum:
		if s, ok := v.(string); ok {
			name, ok := enumName(def, s)
			if !ok {
				return nil, errNotInEnum(holder, field, def)
			}
			return name, nil
		}
	case ast.InputObject:
		if m, ok := v.(map[string]any); ok {
			for k, fv := range m {
				if f := def.Fields.ForName(k); f != nil {
					fixed, err := e.value(def.Name, k, f.Type, fv)
					if err != nil {
						return nil, err
					}
					m[k] = fixed
				}
			}
		}
	}
	return v, nil
}
