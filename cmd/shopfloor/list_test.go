package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

type page struct {
	Edges []struct {
		Cursor string
		Node   struct {
			ID         int64
			PartNumber string
		}
	}
	PageInfo struct {
		StartCursor, EndCursor       *string
		HasNextPage, HasPreviousPage bool
		TotalCount, Count            int
	}
}

func (p page) ids() []int64 {
	var out []int64
	for _, e := range p.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

const partsQuery = `query($f: PartsInputFilters, $s: [PartSortEnum], $first: Int, $after: String, $last: Int, $before: String) {
	parts(filters: $f, sort: $s, first: $first, after: $after, last: $last, before: $before) {
		edges { cursor node { id partNumber } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage totalCount count } } }`

func (s *testServer) parts(t *testing.T, tok string, vars map[string]any) page {
	t.Helper()
	var p page
	s.gql(t, tok, partsQuery, vars).must(t).field(t, "parts", &p)
	return p
}

// Relay pagination with graphene cursors, forwards and backwards.
func TestPagination(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	all := s.parts(t, tok, nil)
	if all.PageInfo.TotalCount != 60 || all.PageInfo.Count != 60 || all.PageInfo.HasNextPage {
		t.Fatalf("unpaginated: %+v", all.PageInfo)
	}
	var walked []int64
	vars := map[string]any{"first": 7}
	for pages := 0; ; pages++ {
		p := s.parts(t, tok, vars)
		walked = append(walked, p.ids()...)
		if p.PageInfo.TotalCount != 60 || p.PageInfo.Count != len(p.Edges) || p.PageInfo.HasPreviousPage != (pages > 0) {
			t.Fatalf("page %d info %+v", pages, p.PageInfo)
		}
		if !p.PageInfo.HasNextPage {
			break
		}
		vars = map[string]any{"first": 7, "after": *p.PageInfo.EndCursor}
	}
	if !slices.Equal(walked, all.ids()) {
		t.Fatalf("walking pages gave %v, want %v", walked, all.ids())
	}
	first := s.parts(t, tok, map[string]any{"first": 5})
	if *first.PageInfo.EndCursor != "YXJyYXljb25uZWN0aW9uOjQ=" || first.Edges[0].Cursor != "YXJyYXljb25uZWN0aW9uOjA=" {
		t.Errorf("cursors are not graphene's arrayconnection: %+v", first.PageInfo)
	}
	last := s.parts(t, tok, map[string]any{"last": 3})
	if !slices.Equal(last.ids(), all.ids()[57:]) || !last.PageInfo.HasPreviousPage || last.PageInfo.HasNextPage {
		t.Errorf("last 3: %v %+v", last.ids(), last.PageInfo)
	}
	before := s.parts(t, tok, map[string]any{"last": 2, "before": *first.PageInfo.EndCursor})
	if !slices.Equal(before.ids(), all.ids()[2:4]) {
		t.Errorf("last 2 before the 5th: %v", before.ids())
	}
	// Without totalCount nothing is counted: one row past the page tells
	// hasNextPage, at a page's end exactly too.
	for _, tc := range []struct {
		vars map[string]any
		next bool
	}{
		{map[string]any{"first": 59}, true},
		{map[string]any{"first": 60}, false},
		{map[string]any{"first": 7, "after": shopfloor.EncodeCursor(52)}, false},
		{map[string]any{"first": 7, "after": shopfloor.EncodeCursor(51)}, true},
		{map[string]any{"first": 7, "after": shopfloor.EncodeCursor(53)}, false},
		{map[string]any{"last": 3}, false},
	} {
		var p page
		s.gql(t, tok, `query($first: Int, $after: String, $last: Int) { parts(first: $first, after: $after, last: $last) {
			edges { node { id } } pageInfo { hasNextPage hasPreviousPage count } } }`, tc.vars).must(t).field(t, "parts", &p)
		if p.PageInfo.HasNextPage != tc.next || p.PageInfo.Count != len(p.Edges) {
			t.Errorf("%v without totalCount: %d edges, %+v, want hasNextPage %v", tc.vars, len(p.Edges), p.PageInfo, tc.next)
		}
	}
	empty := s.parts(t, tok, map[string]any{"first": 0})
	if len(empty.Edges) != 0 || empty.PageInfo.TotalCount != 60 || empty.PageInfo.EndCursor != nil {
		t.Errorf("first 0: %+v", empty)
	}
	for _, tc := range []struct {
		vars    map[string]any
		message string
	}{
		{map[string]any{"after": "garbage"}, "Argument after is not a valid cursor."},
		{map[string]any{"first": -1}, "Argument first must be greater than or equal to 0."},
	} {
		s.gql(t, tok, partsQuery, tc.vars).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, tc.message)
	}
}

// Filters are AND-ed {eq | neq | in | ilike}; every sort enum value sorts.
func TestFiltersAndSort(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, tc := range []struct {
		filters map[string]any
		want    int
	}{
		{map[string]any{"partNumber": map[string]any{"eq": "ACME-1001"}}, 1},
		{map[string]any{"partNumber": map[string]any{"ilike": "%acme-101%"}}, 10},
		{map[string]any{"partNumber": map[string]any{"in": []string{"ACME-1001", "ACME-1002", "nope"}}}, 2},
		{map[string]any{"trackingType": map[string]any{"eq": "serial"}}, 24},
		{map[string]any{"trackingType": map[string]any{"eq": nil}}, 24},
		{map[string]any{"trackingType": map[string]any{"eq": "SERIAL"}, "partNumber": map[string]any{"ilike": "ACME-100%"}}, 4},
		{map[string]any{"id": map[string]any{"in": []any{1, "2", 3}}, "status": map[string]any{"neq": "ARCHIVED"}}, 3},
		{map[string]any{"id": map[string]any{"in": []any{}}}, 0},
		{map[string]any{"exportControlled": map[string]any{"eq": false}, "cost": map[string]any{"eq": 5}}, 4},
	} {
		if got := s.parts(t, tok, map[string]any{"f": tc.filters}).PageInfo.TotalCount; got != tc.want {
			t.Errorf("filters %v: %d matches, want %d", tc.filters, got, tc.want)
		}
	}
	desc := s.parts(t, tok, map[string]any{"s": []string{"PART_NUMBER_DESC"}, "first": 2})
	if desc.Edges[0].Node.PartNumber != "ACME-1059" || desc.Edges[1].Node.PartNumber != "ACME-1058" {
		t.Errorf("PART_NUMBER_DESC: %+v", desc.Edges)
	}
	// Every value of every sort enum of the schema is served.
	var schema struct {
		Types []struct {
			Name       string
			EnumValues []struct{ Name string }
		}
	}
	r := s.gql(t, tok, `{ __schema { types { name enumValues { name } } } }`, nil).must(t)
	r.field(t, "__schema", &schema)
	lists := map[string]string{"PartSortEnum": "parts", "PartInventorySortEnum": "partInventories", "LocationSortEnum": "locations", "PartSubtypeSortEnum": "partSubtypes"}
	seen := 0
	for _, ty := range schema.Types {
		list, ok := lists[ty.Name]
		if !ok {
			continue
		}
		for _, v := range ty.EnumValues {
			seen++
			s.gql(t, tok, fmt.Sprintf(`{ %s(sort: [%s], first: 3) { edges { node { id } } } }`, list, v.Name), nil).must(t)
		}
	}
	if seen < 30 {
		t.Errorf("only %d sort values found", seen)
	}
}

// Ids are integers on the wire and accepted as integers or strings.
func TestIDForms(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	for _, q := range []struct {
		query string
		vars  map[string]any
	}{
		{`{ part(id: 2) { id } }`, nil},
		{`{ part(id: "2") { id } }`, nil},
		{`query($id: ID!) { part(id: $id) { id } }`, map[string]any{"id": 2}},
		{`query($id: ID!) { part(id: $id) { id } }`, map[string]any{"id": "2"}},
	} {
		r := s.gql(t, tok, q.query, q.vars).must(t)
		if string(r.Data["part"]) != `{"id":2}` {
			t.Errorf("%s %v: %s", q.query, q.vars, r.Raw)
		}
	}
	s.gql(t, tok, `{ part(id: "two") { id } }`, nil).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "two is not a valid id.")
}
