package graph

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

var testSchema = NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()

// Every operation under testdata/operations, written as ION's clients
// write them, validates against the schema with the server's rules; and
// every root field of the schema has one there.
func TestOperationsValidate(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/operations/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no operations: %v", err)
	}
	covered := map[string]bool{}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parser.ParseQuery(&ast.Source{Name: file, Input: string(src)})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, e := range validator.ValidateWithRules(testSchema, doc, validationRules()) {
			t.Errorf("%s: %v", file, e)
		}
		for _, op := range doc.Operations {
			for _, sel := range op.SelectionSet {
				if f, ok := sel.(*ast.Field); ok {
					covered[string(op.Operation)+" "+f.Name] = true
				}
			}
		}
	}
	for _, root := range []*ast.Definition{testSchema.Query, testSchema.Mutation} {
		for _, f := range root.Fields {
			if key := strings.ToLower(root.Name) + " " + f.Name; !covered[key] && !strings.HasPrefix(f.Name, "__") {
				t.Errorf("no operation under testdata/operations for %s", key)
			}
		}
	}
}

// The relaxed rule takes ID and Int as one type, and nothing else.
func TestVariablesInAllowedPosition(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query string
		want  string
	}{
		{`query($id: Int!) { part(id: $id) { id } }`, ""},
		{`query($id: ID!) { part(id: $id) { id } }`, ""},
		{`query($n: ID) { parts(first: $n) { totalCount } }`, ""},
		{`query($ids: [ID]) { parts(filters: {id: {in: $ids}}) { totalCount } }`, ""},
		{`query($ids: [ID!]!) { parts(filters: {id: {in: $ids}}) { totalCount } }`, ""},
		{`query($ids: [Int]) { parts(filters: {id: {in: $ids}}) { totalCount } }`, ""},
		{`query($id: Int) { part(id: $id) { id } }`, `Variable "$id" of type "Int" used in position expecting type "ID!".`},
		{`query($id: String!) { part(id: $id) { id } }`, `Variable "$id" of type "String!" used in position expecting type "ID!".`},
		{`query($id: [ID!]) { part(id: $id) { id } }`, `Variable "$id" of type "[ID!]" used in position expecting type "ID!".`},
		{`query($n: Float) { parts(first: $n) { totalCount } }`, `Variable "$n" of type "Float" used in position expecting type "Int".`},
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range validator.ValidateWithRules(testSchema, doc, validationRules()) {
			got = append(got, e.Message)
		}
		if want := slices.DeleteFunc([]string{tc.want}, func(s string) bool { return s == "" }); !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", tc.query, got, want)
		}
	}
}
