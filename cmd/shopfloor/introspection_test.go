package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// graphqljsDir holds introspect.mjs, which runs graphql-js (npm graphql);
// scripts/test runs npm ci there.
const graphqljsDir = "../../internal/graphqljs"

// introspectWithGraphQLJS runs graphql-js's standard introspection query
// against url as token, builds the client schema from the answer and
// returns it printed as SDL.
func introspectWithGraphQLJS(t *testing.T, url, token string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(graphqljsDir, "node_modules", "graphql")); err != nil {
		t.Fatalf("%v: scripts/test installs Node.js and runs npm ci in internal/graphqljs", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "introspect.mjs", url, token)
	var stderr bytes.Buffer
	cmd.Dir, cmd.Stderr = graphqljsDir, &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("introspect.mjs: %v\n%s", err, stderr.String())
	}
	return string(out)
}

// The standard introspection query of graphql-js (GraphiQL's) is answered
// under the default limits, and graphql-js builds a valid client schema
// from it: what GraphQL tooling needs.
func TestIntrospectionWithGraphQLJS(t *testing.T) {
	s := startServer(t)
	sdl := introspectWithGraphQLJS(t, s.URL+"/graphql", s.token(t, 0, shopfloor.RoleReadOnly))
	for _, want := range []string{"type Query {", "type Mutation {", "input PartsInputFilters {", "parts(", "type PageInfo {"} {
		if !strings.Contains(sdl, want) {
			t.Fatalf("printed schema lacks %q:\n%s", want, sdl)
		}
	}
}

// Introspection has its own bounds: its lists nest at most 3 deep
// (graphql-js's rule) and an operation selects __schema or __type at most
// 50 times; data fields beside it keep their limits.
func TestIntrospectionBounds(t *testing.T) {
	t.Parallel()
	s := startServer(t, "--max-depth", "3")
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	typeRef := "kind name" + strings.Repeat(" ofType { kind name", 10) + strings.Repeat(" }", 10)
	s.gql(t, tok, `{ __type(name: "Part") { fields { type { `+typeRef+` } } } }`, nil).must(t)
	s.gql(t, tok, `{ a: __schema { queryType { name } } b: __type(name: "Part") { name } c: __schema { types { name } } }`, nil).must(t)
	for _, tc := range []struct {
		name, query string
		status      int
		message     string
	}{
		{"lists nested too deep", `{ __type(name: "Part") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }`,
			http.StatusBadRequest, "Maximum introspection depth exceeded"},
		{"too many", "{ s: __schema { queryType { name } } " + strings.Repeat(`t: __type(name: "Part") { name } `, 50) + "}",
			http.StatusUnprocessableEntity, "Query selects __schema or __type 51 times; at most 50 are allowed."},
		{"data beside it", `{ __schema { queryType { name } } parts { edges { node { partInventories { id } } } } }`,
			http.StatusUnprocessableEntity, "Query depth 5 exceeds the maximum of 3."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tok, tc.query, nil).wantError(t, http.StatusOK, tc.status, tc.message)
		})
	}
}
