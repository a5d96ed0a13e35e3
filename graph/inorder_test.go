package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// A field resolved through resolveWith answers as through
// graphql.ResolveField: its marshaled value; or null, with the resolver's
// error (or its panic) reported at the field's path, null being invalid
// (RequiredNull) when the field's type is non-null.
func TestResolveWith(t *testing.T) {
	t.Parallel()
	field := graphql.CollectedField{Field: &ast.Field{Alias: "children", Name: "children"}}
	fieldContext := func(nonNull bool) func(*executionContext, context.Context, graphql.CollectedField) (*graphql.FieldContext, error) {
		return func(_ *executionContext, _ context.Context, f graphql.CollectedField) (*graphql.FieldContext, error) {
			return &graphql.FieldContext{Object: "Part", Field: f, IsResolver: true, NonNull: nonNull}, nil
		}
	}
	marshal := func(_ *executionContext, _ context.Context, _ ast.SelectionSet, v []string) graphql.Marshaler {
		return graphql.MarshalString(v[0])
	}
	for _, tc := range []struct {
		name    string
		resolve func(context.Context) ([]string, error)
		nonNull bool
		want    graphql.Marshaler // nil: the marshaled value
		message string
	}{
		{name: "value", resolve: func(context.Context) ([]string, error) { return []string{"a"}, nil }},
		{name: "error", resolve: func(context.Context) ([]string, error) { return nil, errors.New("boom") }, want: graphql.Null, message: "boom"},
		{name: "error, non-null", resolve: func(context.Context) ([]string, error) { return nil, errors.New("boom") }, nonNull: true,
			want: graphql.RequiredNull, message: "boom"},
		{name: "panic", resolve: func(context.Context) ([]string, error) { panic("oops") }, want: graphql.Null, message: "recovered: oops"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			recovered := func(_ context.Context, r any) error { return fmt.Errorf("recovered: %v", r) }
			oc := &graphql.OperationContext{RecoverFunc: recovered}
			ctx := graphql.WithResponseContext(graphql.WithOperationContext(context.Background(), oc), graphql.DefaultErrorPresenter, recovered)
			ec := newExecutionContext(oc, nil, nil)
			got := resolveWith(ctx, ec, field, fieldContext(tc.nonNull), tc.resolve, marshal, true, false)
			errs := graphql.GetErrors(ctx)
			if tc.want == nil {
				var b bytes.Buffer
				got.MarshalGQL(&b)
				if b.String() != `"a"` || len(errs) != 0 {
					t.Errorf("got %s, errors %v", b.String(), errs)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			if len(errs) != 1 || errs[0].Message != tc.message || errs[0].Path.String() != "children" {
				t.Errorf("errors %v, want %q at children", errs, tc.message)
			}
		})
	}
}

// An object writes each response key once, at its first field, in order.
func TestObjectJSON(t *testing.T) {
	t.Parallel()
	field := func(alias string) graphql.CollectedField {
		return graphql.CollectedField{Field: &ast.Field{Alias: alias, Name: alias}}
	}
	for _, tc := range []struct {
		aliases []string
		want    string
	}{
		{nil, `{}`},
		{[]string{"id"}, `{"id":0}`},
		{[]string{"id", "name", "id", "etag", "name"}, `{"id":0,"name":1,"etag":3}`},
	} {
		fields := make([]graphql.CollectedField, len(tc.aliases))
		for i, a := range tc.aliases {
			fields[i] = field(a)
		}
		o := newExecutionContext(&graphql.OperationContext{}, nil, nil).object(fields)
		for i := range o.Values {
			o.Values[i] = graphql.MarshalInt(i)
		}
		var b bytes.Buffer
		o.MarshalGQL(&b)
		if b.String() != tc.want {
			t.Errorf("%v: %s, want %s", tc.aliases, b.String(), tc.want)
		}
	}
}
