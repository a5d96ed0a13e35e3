package graph

import (
	"strings"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// enumName returns the schema's spelling of s among def's values, matched
// as ION's clients send them: "tool", "Tool" and TOOL are TOOL.
func enumName(def *ast.Definition, s string) (string, bool) {
	if v := def.EnumValues.ForName(s); v != nil {
		return v.Name, true
	}
	for _, v := range def.EnumValues {
		if strings.EqualFold(v.Name, s) {
			return v.Name, true
		}
	}
	return "", false
}

// errNotInEnum is the contract's 422 for a value outside an enum, naming the
// field as the domain's own checks do ("Part partType must be one of PART,
// TOOL."): holder is the input type that has the field, "" for an argument
// or (a field named $name) a variable.
func errNotInEnum(holder, field string, def *ast.Definition) *shopfloor.Error {
	names := make([]string, len(def.EnumValues))
	for i, v := range def.EnumValues {
		names[i] = v.Name
	}
	label := "Argument " + field
	switch {
	case holder == "" && strings.HasPrefix(field, "$"):
		label = "Variable " + field
	case holder != "":
		entity := strings.TrimSuffix(holder, "Input")
		for _, verb := range []string{"Create", "Update"} {
			if rest, ok := strings.CutPrefix(entity, verb); ok && rest != "" {
				entity = rest
				break
			}
		}
		label = entity + " " + field
	}
	return shopfloor.Errorf(shopfloor.CodeInvalid, "%s must be one of %s.", label, strings.Join(names, ", "))
}

// valuesOfCorrectType is gqlparser's ValuesOfCorrectType with enum values
// read as ION's clients write them: a string literal or a bare value of any
// case at an enum position is rewritten to the schema's enum value before
// the standard rule sees it (so the validated, cached document holds it),
// and a value outside the enum is the contract's 422 naming its field
// instead of a validation error. Values are walked children first, so a
// bad value is reported when its holder (an input object, a list, a
// field's argument) is reached and its name is known.
func valuesOfCorrectType(observers *core.Events, addError core.AddErrFunc) {
	bad := map[*ast.Value]*ast.Definition{} // refused enum values (or lists holding one) → their enum
	refusedAt := map[[2]int]bool{}          // their line and column
	report := func(holder, field string, v *ast.Value) {
		if def, ok := bad[v]; ok {
			err := errNotInEnum(holder, field, def)
			addError(core.Message("%s", err.Message), core.At(v.Position), func(e *gqlerror.Error) { e.Err = err })
		}
	}
	observers.OnValue(func(_ *core.Walker, v *ast.Value) {
		switch {
		case v.Kind == ast.ObjectValue && v.Definition != nil:
			for _, child := range v.Children {
				report(v.Definition.Name, child.Name, child.Value)
			}
		case v.Kind == ast.ListValue:
			for _, child := range v.Children {
				if def, ok := bad[child.Value]; ok {
					bad[v] = def
				}
			}
		case v.Definition != nil && v.Definition.Kind == ast.Enum && v.Position != nil &&
			(v.Kind == ast.StringValue || v.Kind == ast.BlockValue || v.Kind == ast.EnumValue):
			if name, ok := enumName(v.Definition, v.Raw); ok {
				v.Kind, v.Raw = ast.EnumValue, name
			} else {
				bad[v] = v.Definition
				refusedAt[[2]int{v.Position.Line, v.Position.Column}] = true
			}
		}
	})
	observers.OnField(func(_ *core.Walker, f *ast.Field) {
		for _, arg := range f.Arguments {
			report("", arg.Name, arg.Value)
		}
	})
	rules.ValuesOfCorrectTypeRule.RuleFunc(observers, func(options ...core.ErrorOption) {
		var e gqlerror.Error
		for _, o := range options {
			o(&e)
		}
		if len(e.Locations) == 1 && refusedAt[[2]int{e.Locations[0].Line, e.Locations[0].Column}] {
			return // refused above, as a 422
		}
		addError(options...)
	})
}
