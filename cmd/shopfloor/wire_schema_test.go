package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// ionTypeNames are the type names ION's clients declare in variables
// (ion-types.md §16) for the domains that exist, with their kinds.
var ionTypeNames = map[string]string{
	"UserInputFilters": "INPUT_OBJECT", "RolesInputFilters": "INPUT_OBJECT", "TeamsInputFilters": "INPUT_OBJECT",
	"PermissionGroupsInputFilters": "INPUT_OBJECT", "PartsInputFilters": "INPUT_OBJECT",
	"PartInventoriesInputFilters": "INPUT_OBJECT", "LocationsInputFilters": "INPUT_OBJECT",
	"UnitsOfMeasurementInputFilters": "INPUT_OBJECT",
	"UserSortEnum":                   "ENUM", "PermissionGroupSortEnum": "ENUM", "PartInventorySortEnum": "ENUM",
	"LocationSortEnum": "ENUM", "UnitOfMeasurementSortEnum": "ENUM",
	"CreateRoleInput": "INPUT_OBJECT", "PermissionGroupToRoleInput": "INPUT_OBJECT", "TeamToUserInput": "INPUT_OBJECT",
	"APIKeyInput": "INPUT_OBJECT", "UpdateOrganizationInput": "INPUT_OBJECT",
	"CreatePartInput": "INPUT_OBJECT", "UpdatePartInput": "INPUT_OBJECT",
	"CreatePartInventoryInput": "INPUT_OBJECT", "UpdatePartInventoryInput": "INPUT_OBJECT",
	"CreateLocationInput": "INPUT_OBJECT", "CreateUnitOfMeasurementInput": "INPUT_OBJECT",
}

// The schema half of ION's wire, on each engine: one server each, the
// parts in order (later ones see what earlier ones wrote).
func TestWireSchema(t *testing.T) {
	t.Parallel()
	onBothEngines(t, func(t *testing.T, s *testServer) {
		for _, part := range []struct {
			name string
			test func(*testing.T, *testServer)
		}{
			{"ION's type names", ionTypeNamesExist},
			{"enums", enumsOnTheWire},
			{"lenient variables", lenientVariables},
			{"part revisions", partRevisions},
			{"units of measurement", unitsOfMeasurement},
			{"organization settings", organizationSettings},
			{"location entityIds", locationEntityIDs},
			{"a user's permission groups and teams", userPermissionGroupsAndTeams},
		} {
			t.Run(part.name, func(t *testing.T) { part.test(t, s) })
		}
	})
}

// Every type name ION's clients declare for these domains exists, with its
// exact spelling, as introspection shows it.
func ionTypeNamesExist(t *testing.T, s *testServer) {
	var q strings.Builder
	q.WriteString("{")
	i := 0
	for name := range ionTypeNames {
		fmt.Fprintf(&q, " t%d: __type(name: %q) { name kind }", i, name)
		i++
	}
	q.WriteString(" }")
	r := s.gql(t, s.token(t, 0, shopfloor.RoleReadOnly), q.String(), nil).must(t)
	found := map[string]string{}
	for _, raw := range r.Data {
		var ty *struct{ Name, Kind string }
		if err := json.Unmarshal(raw, &ty); err != nil {
			t.Fatal(err)
		}
		if ty != nil {
			found[ty.Name] = ty.Kind
		}
	}
	for name, kind := range ionTypeNames {
		if found[name] != kind {
			t.Errorf("type %s: kind %q, want %q", name, found[name], kind)
		}
	}
}

// Enumerated fields are enums: bare literals work, output is UPPER_SNAKE,
// and a JSON variable's value is matched whatever its case, at any depth
// (an input's field, a list of sort keys), as is a string or bare literal
// in the document; a value that is none of the enum's is the contract's 422
// naming the field.
func enumsOnTheWire(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var created struct {
		Part struct {
			ID                                                         int64
			PartType, Status, SourcingStrategy, PurchaseType, Revision string
		}
	}
	s.gql(t, tok, `mutation($input: CreatePartInput!) { createPart(input: $input) { part { id partType status sourcingStrategy purchaseType revision } } }`,
		map[string]any{"input": map[string]any{"partNumber": "EN-1", "partType": "tool", "status": "Released", "sourcingStrategy": "dual_source",
			"purchaseType": "receivable_inventory"}}).must(t).field(t, "createPart", &created)
	if p := created.Part; p.PartType != "TOOL" || p.Status != "RELEASED" || p.SourcingStrategy != "DUAL_SOURCE" || p.PurchaseType != "RECEIVABLE_INVENTORY" {
		t.Errorf("created %+v", p)
	}
	var sorted page
	s.gql(t, tok, `query($s: [PartSortEnum]) { parts(sort: $s, first: 1) { edges { node { id partNumber } } } }`,
		map[string]any{"s": []any{"part_number_desc"}}).must(t).field(t, "parts", &sorted)
	if len(sorted.Edges) != 1 || sorted.Edges[0].Node.PartNumber != "EN-1" {
		t.Errorf("sorted by part_number_desc: %+v", sorted)
	}
	r := s.gql(t, tok, `query($id: ID!) { part(id: $id) { partType trackingType status } partInventories(first: 1) { edges { node { status } } } }`,
		map[string]any{"id": 1}).must(t)
	if !strings.Contains(r.Raw, `"part":{"partType":"PART","trackingType":"SERIAL","status":"RELEASED"}`) || !regexp.MustCompile(`"partInventories":\{"edges":\[\{"node":\{"status":"[A-Z_]+"\}\}\]\}`).MatchString(r.Raw) {
		t.Errorf("output: %s", r.Raw)
	}
	var literal struct {
		Part struct{ PartType, TrackingType string }
	}
	s.gql(t, tok, `mutation { createPart(input: {partNumber: "EN-3", partType: "tool", trackingType: lot}) { part { partType trackingType } } }`, nil).
		must(t).field(t, "createPart", &literal)
	if literal.Part.PartType != "TOOL" || literal.Part.TrackingType != "LOT" {
		t.Errorf("literals \"tool\" and lot read as %+v", literal.Part)
	}
	s.gql(t, tok, `{ parts(sort: ["part_number_desc"], first: 1) { edges { node { partNumber } } } }`, nil).must(t).field(t, "parts", &sorted)
	if len(sorted.Edges) != 1 || sorted.Edges[0].Node.PartNumber != "EN-3" {
		t.Errorf("sorted by the literal \"part_number_desc\": %+v", sorted)
	}
	before := s.counts(t, tok)
	for _, tc := range []struct {
		query   string
		vars    map[string]any
		message string
	}{
		{`mutation($input: CreatePartInput!) { createPart(input: $input) { part { id } } }`,
			map[string]any{"input": map[string]any{"partNumber": "EN-2", "partType": "WIDGET"}}, "Part partType must be one of PART, TOOL."},
		{`mutation { createPart(input: {partNumber: "EN-2", partType: WIDGET}) { part { id } } }`, nil, "Part partType must be one of PART, TOOL."},
		{`mutation { createPart(input: {partNumber: "EN-2", partType: "widget"}) { part { id } } }`, nil, "Part partType must be one of PART, TOOL."},
		{`query($s: [PartSortEnum]) { parts(sort: $s) { totalCount } }`, map[string]any{"s": []any{"ID_ASC", "nope"}}, "Variable $s must be one of "},
		{`{ parts(sort: [ID_ASC, NOPE]) { totalCount } }`, nil, "Argument sort must be one of "},
	} {
		r := s.gql(t, tok, tc.query, tc.vars)
		if r.Status != http.StatusOK || len(r.Errors) != 1 || r.Errors[0].Extensions.Status != http.StatusUnprocessableEntity ||
			!strings.HasPrefix(r.Errors[0].Message, tc.message) {
			t.Errorf("%s: want one 422 %q…, got HTTP %d %s", tc.query, tc.message, r.Status, r.Raw)
		}
	}
	if after := s.counts(t, tok); after != before {
		t.Errorf("a refused mutation changed data:\n%s\n%s", before, after)
	}
}

// ION's clients differ among themselves, and every habit works: [ID] and
// [ID!] variables in list filters (null items ignored), Int variables for
// ID arguments and ID variables for Int ones, numbers and ids sent as
// strings, extra undeclared variables, declared variables never supplied.
func lenientVariables(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	partIDs := func(query string, vars map[string]any) string {
		t.Helper()
		var p page
		s.gql(t, tok, query, vars).must(t).field(t, "parts", &p)
		return fmt.Sprint(p.ids())
	}
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		want        string
	}{
		{"[ID] with a null and a string", `query($ids: [ID]) { parts(filters: {id: {in: $ids}}) { edges { node { id } } } }`,
			map[string]any{"ids": []any{2, nil, "3"}}, "[2 3]"},
		{"[ID!]!", `query($ids: [ID!]!) { parts(filters: {id: {in: $ids}}) { edges { node { id } } } }`,
			map[string]any{"ids": []any{"4", 5}}, "[4 5]"},
		{"[ID] of nulls only", `query($ids: [ID]) { parts(filters: {id: {in: $ids}}) { edges { node { id } } } }`,
			map[string]any{"ids": []any{nil}}, "[]"},
		{"a single id for a list", `query($ids: [ID]) { parts(filters: {id: {in: $ids}}) { edges { node { id } } } }`,
			map[string]any{"ids": 6}, "[6]"},
		{"ID variable for first: Int", `query($n: ID) { parts(first: $n) { edges { node { id } } } }`,
			map[string]any{"n": "2"}, "[1 2]"},
		{"undeclared extra variables", `query($first: Int) { parts(first: $first) { edges { node { id } } } }`,
			map[string]any{"first": 1, "attributes": []any{"x"}}, "[1]"},
		{"declared, never supplied", `query($filterss: PartsInputFilters, $first: Int, $after: String) { parts(filters: $filterss, first: $first, after: $after) { pageInfo { totalCount } } }`,
			map[string]any{"after": nil}, "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := partIDs(tc.query, tc.vars); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	for _, decl := range []string{"Int!", "ID!"} {
		var got struct{ ID int64 }
		s.gql(t, tok, fmt.Sprintf(`query($id: %s) { part(id: $id) { id } }`, decl), map[string]any{"id": "3"}).must(t).field(t, "part", &got)
		if got.ID != 3 {
			t.Errorf("$id: %s: %+v", decl, got)
		}
	}
	var inv ref
	s.gql(t, tok, `{ partInventory(id: 5) { id _etag } }`, nil).must(t).field(t, "partInventory", &inv)
	r := s.gql(t, tok, `mutation($input: UpdatePartInventoryInput!) { updatePartInventory(input: $input) { partInventory { quantity } } }`,
		map[string]any{"input": map[string]any{"id": "5", "etag": inv.Etag, "quantity": "12.5"}}).must(t)
	if !strings.Contains(r.Raw, `"quantity":12.5`) || strings.Contains(r.Raw, `"errors"`) {
		t.Errorf("quantity as a string: %s", r.Raw)
	}
}

// createPartRevision makes the next revision (A, B, ...), copying fields
// and attributes; isLatestRevision finds the newest; its rules are 422s
// naming field and constraint, its permission is CreatePartRevision, and
// a refusal changes nothing.
func partRevisions(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	type part struct {
		ID, RevisedFromID  int64
		Etag               string `json:"_etag"`
		Revision           string
		TrackingType       string
		SupplierPartNumber string
		Attributes         []struct {
			Key, Type string
			Value     any
		}
	}
	const fields = `{ part { id _etag revision revisedFromId trackingType supplierPartNumber attributes { key type value } } }`
	run := func(query string, vars map[string]any) part {
		t.Helper()
		var got map[string]part
		r := s.gql(t, tok, query, vars).must(t)
		for _, raw := range r.Data {
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
		}
		return got["part"]
	}
	a := run(`mutation($input: CreatePartInput!) { createPart(input: $input) `+fields+` }`, map[string]any{"input": map[string]any{
		"partNumber": "REV-1", "trackingType": "LOT", "supplierPartNumber": "SUP-77",
		"attributes": []any{map[string]any{"key": "Material", "type": "STRING", "value": "Ti-6Al-4V"}, map[string]any{"key": "Mass", "type": "NUMBER", "value": 12.5}}}})
	revise := `mutation($input: CreatePartRevisionInput!) { createPartRevision(input: $input) ` + fields + ` }`
	b := run(revise, map[string]any{"input": map[string]any{"partId": a.ID, "etag": a.Etag}})
	if b.Revision != "B" || b.RevisedFromID != a.ID || b.TrackingType != "LOT" || b.SupplierPartNumber != "SUP-77" ||
		fmt.Sprint(b.Attributes) != fmt.Sprint(a.Attributes) || len(b.Attributes) != 2 || b.Attributes[1].Value != 12.5 {
		t.Fatalf("revision of %+v: %+v", a, b)
	}
	c := run(revise, map[string]any{"input": map[string]any{"partId": b.ID}})
	z := run(revise, map[string]any{"input": map[string]any{"partId": c.ID, "revision": "Z"}})
	aa := run(revise, map[string]any{"input": map[string]any{"partId": z.ID}})
	if c.Revision != "C" || z.Revision != "Z" || aa.Revision != "AA" {
		t.Fatalf("revisions %s %s %s", c.Revision, z.Revision, aa.Revision)
	}
	var latest page
	s.gql(t, tok, `query($f: PartsInputFilters) { parts(filters: $f) { edges { node { id partNumber } } } }`,
		map[string]any{"f": map[string]any{"partNumber": map[string]any{"eq": "REV-1"}, "isLatestRevision": map[string]any{"eq": true}}}).
		must(t).field(t, "parts", &latest)
	if fmt.Sprint(latest.ids()) != fmt.Sprint([]int64{aa.ID}) {
		t.Fatalf("latest revision: %v, want [%d]", latest.ids(), aa.ID)
	}

	update := `mutation($input: UpdatePartInput!) { updatePart(input: $input) ` + fields + ` }`
	kept := run(update, map[string]any{"input": map[string]any{"id": aa.ID, "etag": aa.Etag, "attributes": nil, "description": "null keeps"}})
	cleared := run(update, map[string]any{"input": map[string]any{"id": aa.ID, "etag": kept.Etag, "attributes": []any{}}})
	if len(kept.Attributes) != 2 || len(cleared.Attributes) != 0 {
		t.Fatalf("attributes: null kept %d, [] left %d", len(kept.Attributes), len(cleared.Attributes))
	}
	dotted := run(`mutation { createPart(input: {partNumber: "REV-2", revision: "1.0"}) `+fields+` }`, nil)
	before := s.counts(t, tok)
	viewer := s.token(t, 0, shopfloor.RoleReadOnly)
	for _, tc := range []struct {
		name, token, query string
		vars               map[string]any
		status             int
		message            string
	}{
		{"taken revision", tok, revise, map[string]any{"input": map[string]any{"partId": a.ID, "revision": "C"}},
			http.StatusUnprocessableEntity, "Part with partNumber 'REV-1' and revision 'C' already exists."},
		{"no next revision", tok, revise, map[string]any{"input": map[string]any{"partId": dotted.ID, "revision": "  "}},
			http.StatusUnprocessableEntity, "Part revision is required: revision '1.0' has no next revision."},
		{"stale etag", tok, revise, map[string]any{"input": map[string]any{"partId": a.ID, "etag": "0123456789abcdef0123456789abcdef"}},
			http.StatusConflict, "Concurrent modification detected — etag mismatch."},
		{"unknown part", tok, revise, map[string]any{"input": map[string]any{"partId": 9999}}, http.StatusNotFound, "Part with id 9999 not found."},
		{"permission", viewer, revise, map[string]any{"input": map[string]any{"partId": a.ID}},
			http.StatusForbidden, "User does not have permission to perform CREATE on Part."},
		{"repeated attribute", tok, `mutation($input: UpdatePartInput!) { updatePart(input: $input) { part { id } } }`,
			map[string]any{"input": map[string]any{"id": a.ID, "etag": a.Etag, "attributes": []any{map[string]any{"key": "K"}, map[string]any{"key": "K"}}}},
			http.StatusUnprocessableEntity, "Part attributes key 'K' is repeated."},
		{"blank attribute key", tok, `mutation($input: UpdatePartInput!) { updatePart(input: $input) { part { id } } }`,
			map[string]any{"input": map[string]any{"id": a.ID, "etag": a.Etag, "attributes": []any{map[string]any{"key": " ", "value": 1}}}},
			http.StatusUnprocessableEntity, "Part attributes key is required."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tc.token, tc.query, tc.vars).wantError(t, http.StatusOK, tc.status, tc.message)
		})
	}
	if after := s.counts(t, tok); after != before {
		t.Errorf("a refused mutation changed data:\n%s\n%s", before, after)
	}
}

// Units of measurement: created, listed by type, unique; inventory is
// counted in one, which it names by id and selects whole.
func unitsOfMeasurement(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	create := `mutation($input: CreateUnitOfMeasurementInput!) { createUnitOfMeasurement(input: $input) { unitOfMeasurement { id type } } }`
	var created struct{ UnitOfMeasurement struct{ ID int64 } }
	s.gql(t, tok, create, map[string]any{"input": map[string]any{"type": " m "}}).must(t).field(t, "createUnitOfMeasurement", &created)
	r := s.gql(t, tok, `query($f: UnitsOfMeasurementInputFilters, $s: [UnitOfMeasurementSortEnum]) { unitsOfMeasurement(filters: $f, sort: $s) { edges { node { type } } } }`,
		map[string]any{"f": map[string]any{"type": map[string]any{"in": []any{"m", "kg"}}}, "s": []any{"TYPE_DESC"}}).must(t)
	if !strings.Contains(r.Raw, `{"unitsOfMeasurement":{"edges":[{"node":{"type":"m"}},{"node":{"type":"kg"}}]}}`) {
		t.Errorf("units: %s", r.Raw)
	}
	inv := s.gql(t, tok, `mutation($input: CreatePartInventoryInput!) { createPartInventory(input: $input) { partInventory { unitOfMeasureId unitOfMeasure { id type } usageType lotNumber serialNumber installed kitted received supplierId parentPartInventory { id } } } }`,
		map[string]any{"input": map[string]any{"partId": 3, "quantity": 2, "unitOfMeasureId": created.UnitOfMeasurement.ID, "usageType": "CONSUMABLE",
			"lotNumber": nil, "serialNumber": nil, "locationId": nil, "cost": nil}}).must(t)
	if want := fmt.Sprintf(`{"unitOfMeasureId":%[1]d,"unitOfMeasure":{"id":%[1]d,"type":"m"},"usageType":"CONSUMABLE","lotNumber":null,"serialNumber":null,"installed":false,"kitted":false,"received":false,"supplierId":null,"parentPartInventory":null}`,
		created.UnitOfMeasurement.ID); !strings.Contains(inv.Raw, want) {
		t.Errorf("inventory: %s", inv.Raw)
	}
	demo := s.gql(t, tok, `{ partInventories(first: 2) { edges { node { trackingType unitOfMeasure { type } } } } }`, nil).must(t)
	if !strings.Contains(demo.Raw, `{"trackingType":"SERIAL","unitOfMeasure":{"type":"each"}}`) {
		t.Errorf("demo inventory: %s", demo.Raw)
	}

	before := s.counts(t, tok)
	for _, tc := range []struct {
		name, token string
		vars        map[string]any
		status      int
		message     string
	}{
		{"duplicate", tok, map[string]any{"input": map[string]any{"type": "kg"}}, http.StatusUnprocessableEntity, "UnitOfMeasurement with type 'kg' already exists."},
		{"blank", tok, map[string]any{"input": map[string]any{"type": ""}}, http.StatusUnprocessableEntity, "UnitOfMeasurement type is required."},
		{"permission", s.token(t, 0, shopfloor.RoleReadOnly), map[string]any{"input": map[string]any{"type": "lb"}},
			http.StatusForbidden, "User does not have permission to perform CREATE on Unit Of Measurement."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.gql(t, tc.token, create, tc.vars).wantError(t, http.StatusOK, tc.status, tc.message)
		})
	}
	s.gql(t, tok, `mutation { createPartInventory(input: {partId: 3, unitOfMeasureId: 9999}) { partInventory { id } } }`, nil).
		wantError(t, http.StatusOK, http.StatusNotFound, "UnitOfMeasurement with id 9999 not found.")
	if after := s.counts(t, tok); after != before {
		t.Errorf("a refused mutation changed data:\n%s\n%s", before, after)
	}
}

// Organization.settings reads ION's defaults and updateOrganization stores
// what it is given, field by field.
func organizationSettings(t *testing.T, s *testServer) {
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	type org struct {
		ID       int64
		Etag     string `json:"_etag"`
		Settings json.RawMessage
	}
	me := func() org {
		var u struct{ Organization org }
		s.gql(t, tok, `{ me { organization { id _etag settings { rules { enabled errorState errorStateMessage } } } } }`, nil).must(t).field(t, "me", &u)
		return u.Organization
	}
	o := me()
	if string(o.Settings) != `{"rules":{"enabled":false,"errorState":"BLOCK","errorStateMessage":null}}` {
		t.Fatalf("defaults: %s", o.Settings)
	}
	update := `mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { organization { _etag settings { rules { enabled errorState errorStateMessage } } } } }`
	s.gql(t, tok, update, map[string]any{"input": map[string]any{"id": o.ID, "etag": o.Etag, "settings": map[string]any{"rules": map[string]any{"enabled": true}}}}).must(t)
	o = me()
	s.gql(t, tok, update, map[string]any{"input": map[string]any{"id": o.ID, "etag": o.Etag,
		"settings": map[string]any{"rules": map[string]any{"errorState": "allow", "errorStateMessage": "Checked by QA"}}}}).must(t)
	if o = me(); string(o.Settings) != `{"rules":{"enabled":true,"errorState":"ALLOW","errorStateMessage":"Checked by QA"}}` {
		t.Fatalf("stored: %s", o.Settings)
	}
	s.gql(t, tok, update, map[string]any{"input": map[string]any{"id": o.ID, "etag": o.Etag,
		"settings": map[string]any{"rules": map[string]any{"errorStateMessage": strings.Repeat("x", 1025)}}}}).
		wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Organization settings.rules.errorStateMessage must be at most 1024 characters.")
	if after := me(); after.Etag != o.Etag {
		t.Errorf("a refused update changed the organization")
	}
}

// Location.entityId is ION's entity key: distinct from the id, unique, and
// given to every new location from the sequence every kind of entity shares.
func locationEntityIDs(t *testing.T, s *testServer) {
	seen := map[int64]bool{}
	for org := range 2 {
		var conn struct {
			Edges []struct{ Node struct{ ID, EntityID int64 } }
		}
		s.gql(t, s.token(t, org, shopfloor.RoleAdmin), `{ locations { edges { node { id entityId } } } }`, nil).must(t).field(t, "locations", &conn)
		for _, e := range conn.Edges {
			if e.Node.EntityID == 0 || seen[e.Node.EntityID] {
				t.Fatalf("location %d: entityId %d is missing or repeated", e.Node.ID, e.Node.EntityID)
			}
			seen[e.Node.EntityID] = true
		}
	}
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var created struct{ Location struct{ ID, EntityID int64 } }
	s.gql(t, tok, `mutation($input: CreateLocationInput!) { createLocation(input: $input) { location { id entityId } } }`,
		map[string]any{"input": map[string]any{"name": "Dock"}}).must(t).field(t, "createLocation", &created)
	if created.Location.EntityID == 0 || seen[created.Location.EntityID] {
		t.Fatalf("new location: %+v", created.Location)
	}
	var found page
	s.gql(t, tok, `query($f: LocationsInputFilters) { locations(filters: $f) { edges { node { id } } } }`,
		map[string]any{"f": map[string]any{"entityId": map[string]any{"eq": created.Location.EntityID}}}).must(t).field(t, "locations", &found)
	if fmt.Sprint(found.ids()) != fmt.Sprint([]int64{created.Location.ID}) {
		t.Fatalf("by entityId: %v", found.ids())
	}
}

// A user's permission groups are those of their roles and their teams'
// roles, and their teams are listed; both follow a change at once.
func userPermissionGroupsAndTeams(t *testing.T, s *testServer) {
	admin, viewer := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 0, shopfloor.RoleReadOnly)
	type me struct {
		ID               int64
		OrganizationID   int64
		Teams            []struct{ Name string }
		PermissionGroups []struct {
			ID   int64
			Name string
		}
	}
	read := func() me {
		var u me
		s.gql(t, viewer, `{ me { id organizationId teams { name } permissionGroups { id name } } }`, nil).must(t).field(t, "me", &u)
		return u
	}
	u := read()
	if len(u.Teams) != 0 || len(u.PermissionGroups) != 0 || u.OrganizationID == 0 {
		t.Fatalf("read-only: %+v", u)
	}
	var all struct {
		Edges []struct{ Node me }
	}
	s.gql(t, admin, `{ users(filters: {email: {eq: "admin@acme.example"}}) { edges { node { permissionGroups { id } } } } }`, nil).must(t).field(t, "users", &all)
	if len(all.Edges) != 1 || len(all.Edges[0].Node.PermissionGroups) != 301 {
		t.Fatalf("admin's groups: %d", len(all.Edges[0].Node.PermissionGroups))
	}
	team := s.ids(t, admin, "teams")["Assembly"]
	s.gql(t, admin, `mutation($input: TeamToUserInput!) { addUserToTeam(input: $input) { teamId userId } }`,
		map[string]any{"input": map[string]any{"teamId": team, "userId": u.ID}}).must(t)
	u = read()
	if fmt.Sprint(u.Teams) != "[{Assembly}]" || len(u.PermissionGroups) != 7 || u.PermissionGroups[0].Name != "CreatePartInventory" {
		t.Fatalf("through the team: %+v", u)
	}
}
