package graph

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// validationRules are GraphQL's standard rules, with two relaxed as ION's
// clients need: a variable declared Int may stand where the schema has ID,
// and the reverse (ION's newer docs declare $id: Int!, its scripts ID!);
// enum values are matched in any case, also written as strings, and one
// outside its enum is a 422 (valuesOfCorrectType).
func validationRules() *rules.Rules {
	r := rules.NewDefaultRules()
	r.ReplaceRule(rules.VariablesInAllowedPositionRule.Name, variablesInAllowedPosition)
	r.ReplaceRule(rules.ValuesOfCorrectTypeRule.Name, valuesOfCorrectType)
	return r
}

// variablesInAllowedPosition is gqlparser's VariablesInAllowedPosition (its
// message included), with ID and Int interchangeable. The schema has no
// @oneOf inputs, so the rule's oneOf half is not needed.
func variablesInAllowedPosition(observers *core.Events, addError core.AddErrFunc) {
	observers.OnValue(func(walker *core.Walker, value *ast.Value) {
		if value.Kind != ast.Variable || value.ExpectedType == nil || value.VariableDefinition == nil || walker.CurrentOperation == nil {
			return
		}
		expected := *value.ExpectedType
		// A variable with a default, or a position with one, may be null.
		if (value.VariableDefinition.DefaultValue != nil && value.VariableDefinition.DefaultValue.Kind != ast.NullValue) || value.ExpectedTypeHasDefault {
			expected.NonNull = false
		}
		if !fits(value.VariableDefinition.Type, &expected) {
			addError(
				core.Message(`Variable "%s" of type "%s" used in position expecting type "%s".`,
					value, value.VariableDefinition.Type.String(), value.ExpectedType.String()),
				core.At(value.Position),
			)
		}
	})
}

// fits is ast.Type.IsCompatible with ID and Int taken as one type.
func fits(declared, expected *ast.Type) bool {
	if (declared.Elem == nil) != (expected.Elem == nil) || (expected.NonNull && !declared.NonNull) {
		return false
	}
	if declared.Elem != nil {
		return fits(declared.Elem, expected.Elem)
	}
	return declared.NamedType == expected.NamedType || idOrInt[declared.NamedType] && idOrInt[expected.NamedType]
}

var idOrInt = map[string]bool{"ID": true, "Int": true}
