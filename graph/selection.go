package graph

import "github.com/vektah/gqlparser/v2/ast"

// selection is every (object type, field) an operation selects, fragments
// included; the store reads it through shopfloor.SelectionFrom to compute
// derived fields only when some part of the operation asks for them. A
// field selected on an interface or union counts for every type.
type selection map[selectedField]struct{}

type selectedField struct{ typeName, field string }

const anyType = "*"

// selectionOf collects the fields of an operation's selection set.
func selectionOf(set ast.SelectionSet) selection {
	sel := selection{}
	sel.collect(set, map[string]bool{})
	return sel
}

func (s selection) collect(set ast.SelectionSet, fragments map[string]bool) {
	for _, item := range set {
		switch item := item.(type) {
		case *ast.Field:
			typeName := anyType
			if d := item.ObjectDefinition; d != nil && d.Kind == ast.Object {
				typeName = d.Name
			}
			s[selectedField{typeName, item.Name}] = struct{}{}
			s.collect(item.SelectionSet, fragments)
		case *ast.InlineFragment:
			s.collect(item.SelectionSet, fragments)
		case *ast.FragmentSpread:
			if item.Definition != nil && !fragments[item.Name] {
				fragments[item.Name] = true
				s.collect(item.Definition.SelectionSet, fragments)
			}
		}
	}
}

// SelectsField implements shopfloor.Selection.
func (s selection) SelectsField(field string) bool {
	for f := range s {
		if f.field == field {
			return true
		}
	}
	return false
}

// Selects implements shopfloor.Selection.
func (s selection) Selects(typeName, field string) bool {
	_, ok := s[selectedField{typeName, field}]
	if !ok {
		_, ok = s[selectedField{anyType, field}]
	}
	return ok
}
