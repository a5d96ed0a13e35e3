package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// counts returns how many rows each list holds for token's org, to show
// that a rejected mutation wrote nothing.
func (s *testServer) counts(t *testing.T, token string) string {
	t.Helper()
	r := s.gql(t, token, `{ parts { pageInfo { totalCount } } partInventories { pageInfo { totalCount } }
		locations { pageInfo { totalCount } } partSubtypes { pageInfo { totalCount } } x: part(id: 3) { _etag } }`, nil).must(t)
	data, err := json.Marshal(r.Data)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// 422: each violated rule names the field and the constraint, and the
// rejected mutation changes nothing.
func TestValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	var p3 ref
	s.gql(t, tok, `{ part(id: 3) { id _etag } }`, nil).must(t).field(t, "part", &p3)
	long := strings.Repeat("é", 513)
	for _, tc := range []struct{ name, mutation, message string }{
		{"quantity zero", `createPartInventory(input: {partId: 3, quantity: 0}) { partInventory { id } }`, "PartInventory quantity must be greater than 0."},
		{"quantity negative", `createPartInventory(input: {partId: 3, quantity: -2.5}) { partInventory { id } }`, "PartInventory quantity must be greater than 0."},
		{"update quantity zero", fmt.Sprintf(`updatePartInventory(input: {id: 1, etag: "x", quantity: 0}) { partInventory { id } }`), "PartInventory quantity must be greater than 0."},
		{"required blank", `createPart(input: {partNumber: "   "}) { part { id } }`, "Part partNumber is required."},
		{"description too long", fmt.Sprintf(`createPart(input: {partNumber: "LONG-1", description: %q}) { part { id } }`, long), "Part description must be at most 512 characters."},
		{"update description too long", fmt.Sprintf(`updatePart(input: {id: 3, etag: %q, description: %q}) { part { id } }`, p3.Etag, long), "Part description must be at most 512 characters."},
		{"enum", `createPart(input: {partNumber: "E-1", partType: "WIDGET"}) { part { id } }`, "Part partType must be one of PART, TOOL."},
		{"bare enum", `createPart(input: {partNumber: "E-1", partType: WIDGET}) { part { id } }`, "Part partType must be one of PART, TOOL."},
		{"enum on update", fmt.Sprintf(`updatePart(input: {id: 3, etag: %q, status: "gone"}) { part { id } }`, p3.Etag), "Part status must be one of RELEASED, ARCHIVED."},
		{"attribute value too large", fmt.Sprintf(`createPart(input: {partNumber: "AV-1", attributes: [{key: "big", value: %q}]}) { part { id } }`, strings.Repeat("x", 70000)),
			"Part attributes value of key 'big' must be at most 65536 bytes of JSON."},
		{"too many attributes", `createPart(input: {partNumber: "AV-2", attributes: [` + strings.Repeat(`{key: "k", value: 1} `, 501) + `]}) { part { id } }`,
			"Part attributes must have at most 500 entries."},
		{"location enum", `createLocation(input: {name: "L", locationType: "CLOUD"}) { location { id } }`, "Location locationType must be one of WAREHOUSE, RACK, SHELF, TOTE, WORKCENTER."},
		{"negative cost", `createPart(input: {partNumber: "C-1", cost: -1}) { part { id } }`, "Part cost must be greater than or equal to 0."},
		{"unique number and revision", `createPart(input: {partNumber: "ACME-1000"}) { part { id } }`, "Part with partNumber 'ACME-1000' and revision 'A' already exists."},
		{"unique on update", fmt.Sprintf(`updatePart(input: {id: 3, etag: %q, partNumber: "ACME-1000"}) { part { id } }`, p3.Etag), "Part with partNumber 'ACME-1000' and revision 'A' already exists."},
		{"revision is not updatable", fmt.Sprintf(`updatePart(input: {id: 3, etag: %q, revision: "B"}) { part { id } }`, p3.Etag), "Part revision cannot be changed; use createPartRevision."},
		{"date out of range", `createPartInventory(input: {partId: 3, expirationDate: "1899-12-31"}) { partInventory { id } }`, "PartInventory expirationDate must be between 1900-01-01 and 9999-12-31."},
		{"date not a date", `createPartInventory(input: {partId: 3, expirationDate: "next week"}) { partInventory { id } }`, "PartInventory expirationDate must be an ISO 8601 date such as 2026-01-31."},
		{"serial part needs a serial", `createPartInventory(input: {partId: 1}) { partInventory { id } }`, "PartInventory serialNumber is required for serial-tracked parts."},
		{"serial part holds one", `createPartInventory(input: {partId: 1, serialNumber: "X-1", quantity: 2}) { partInventory { id } }`, "PartInventory quantity must be 1 for serial-tracked parts."},
		{"serial unique per part", `createPartInventory(input: {partId: 1, serialNumber: "SN-ACME-0000-0"}) { partInventory { id } }`, "PartInventory with serialNumber 'SN-ACME-0000-0' already exists for this part."},
		{"inventory keeps its part", `updatePartInventory(input: {id: 5, etag: "x", partId: 3}) { partInventory { id } }`, "PartInventory partId cannot be changed."},
		{"unique subtype", `createPartSubtype(input: {name: "Fastener"}) { partSubtype { id } }`, "PartSubtype with name 'Fastener' already exists."},
		{"location cycle", `updateLocation(input: {id: 1, etag: "x", parentId: 3}) { location { id } }`, "Location parentId cannot be the location itself or one of its descendants."},
		{"part with inventory", `deletePart(id: 3, etag: "x") { id }`, "Part cannot be deleted while it has inventory."},
		{"location in use", `deleteLocation(id: 1, etag: "x") { id }`, "Location cannot be deleted while it holds inventory or child locations."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := s.counts(t, tok)
			e := s.gql(t, tok, "mutation { "+tc.mutation+" }", nil).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, tc.message)
			if e.Extensions.Code != "VALIDATION_ERROR" {
				t.Errorf("code %q", e.Extensions.Code)
			}
			if after := s.counts(t, tok); after != before {
				t.Errorf("a rejected mutation changed data:\n%s\n%s", before, after)
			}
		})
	}
}

// Enumerated inputs accept ION's lower case in variables, and bare enum
// literals in the document; they are stored upper case.
func TestEnumCaseAndDefaults(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	type part struct {
		PartType, Revision, Status string
		TrackingType               *string
	}
	for _, tc := range []struct {
		query string
		vars  map[string]any
	}{
		{`mutation($input: CreatePartInput!) { createPart(input: $input) { part { partType revision status trackingType } } }`,
			map[string]any{"input": map[string]any{"partNumber": "LC-1", "partType": "tool", "trackingType": "lot"}}},
		{`mutation { createPart(input: {partNumber: "LC-2", partType: TOOL, trackingType: LOT}) { part { partType revision status trackingType } } }`, nil},
	} {
		var got map[string]part
		s.gql(t, tok, tc.query, tc.vars).must(t).field(t, "createPart", &got)
		if p := got["part"]; p.PartType != "TOOL" || p.Revision != "A" || p.Status != "RELEASED" || p.TrackingType == nil || *p.TrackingType != "LOT" {
			t.Errorf("%s: got %+v", tc.query, p)
		}
	}
}

// Mutations of one request run in order; one that fails fails alone.
func TestMutationsFailAlone(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	r := s.gql(t, s.token(t, 0, shopfloor.RoleAdmin), `mutation {
		a: createPart(input: {partNumber: "SEQ-1"}) { part { partNumber } }
		b: deletePart(id: 3, etag: "x") { id }
		c: createPart(input: {partNumber: "SEQ-2"}) { part { partNumber } } }`, nil)
	r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Part cannot be deleted while it has inventory.")
	if !strings.Contains(r.Raw, `"a":{"part":{"partNumber":"SEQ-1"}}`) || !strings.Contains(r.Raw, `"b":null`) || !strings.Contains(r.Raw, `"c":{"part":{"partNumber":"SEQ-2"}}`) {
		t.Errorf("got %s", r.Raw)
	}
}
