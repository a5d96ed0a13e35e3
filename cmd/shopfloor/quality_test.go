package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

type issueView struct {
	ID              int64  `json:"id"`
	Etag            string `json:"_etag"`
	EntityID        int64  `json:"entityId"`
	Status          string `json:"status"`
	DispositionType *string
	PartID          *int64 `json:"partId"`
	PartInventoryID *int64 `json:"partInventoryId"`
	CauseCondition  any
	Attributes      []struct {
		ID    int64 `json:"id"`
		Etag  string
		Key   string
		Type  *string
		Value any
	}
}

const issueFields = `id _etag entityId status dispositionType partId partInventoryId causeCondition attributes { id Etag key type value }`

func createIssue(t *testing.T, s *testServer, token string, input map[string]any) issueView {
	t.Helper()
	var out struct{ Issue issueView }
	s.gql(t, token, `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { `+issueFields+` } } }`,
		map[string]any{"input": input}).must(t).field(t, "createIssue", &out)
	return out.Issue
}

func readIssue(t *testing.T, s *testServer, token string, id int64) issueView {
	t.Helper()
	var out issueView
	s.gql(t, token, `query($id: ID!) { issue(id: $id) { `+issueFields+` } }`, map[string]any{"id": id}).must(t).field(t, "issue", &out)
	return out
}

const updateIssue = `mutation($input: UpdateIssueInput!) { updateIssue(input: $input) { issue { id _etag status dispositionType } } }`

// The status machine over HTTP: each move the UI offers is allowed, each
// other is refused with its exact message and changes nothing, a new
// disposition type returns the issue to Pending, and a Resolved issue keeps
// its fields until it is reopened.
func TestIssueStatusMachine(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		issue := createIssue(t, s, admin, map[string]any{"title": unique("status"), "causeCondition": []any{map[string]any{"children": []any{map[string]any{"text": "worn tool"}}}}})
		if issue.Status != "PENDING" {
			t.Fatalf("a new issue is %s", issue.Status)
		}
		etag := issue.Etag
		for _, step := range []struct {
			set  map[string]any
			want string // the new status, or the refusal
		}{
			{map[string]any{"status": "IN_REVIEW"}, "Issue status cannot change from PENDING to IN_REVIEW; from PENDING it may change to IN_PROGRESS."},
			{map[string]any{"status": "RESOLVED"}, "Issue status cannot change from PENDING to RESOLVED; from PENDING it may change to IN_PROGRESS."},
			{map[string]any{"status": "IN_PROGRESS"}, "Issue status cannot change from PENDING to IN_PROGRESS without a dispositionType."},
			{map[string]any{"status": "in_progress", "dispositionType": "REWORK"}, "IN_PROGRESS"},
			{map[string]any{"status": "PENDING"}, "Issue status cannot change from IN_PROGRESS to PENDING; from IN_PROGRESS it may change to IN_REVIEW."},
			{map[string]any{"status": "RESOLVED"}, "Issue status cannot change from IN_PROGRESS to RESOLVED; from IN_PROGRESS it may change to IN_REVIEW."},
			{map[string]any{"status": "IN_REVIEW"}, "IN_REVIEW"},
			{map[string]any{"status": "PENDING"}, "Issue status cannot change from IN_REVIEW to PENDING; from IN_REVIEW it may change to IN_PROGRESS or RESOLVED."},
			{map[string]any{"status": "IN_PROGRESS"}, "IN_PROGRESS"}, // return to In Progress
			{map[string]any{"status": "IN_REVIEW"}, "IN_REVIEW"},
			{map[string]any{"status": "RESOLVED"}, "RESOLVED"},
			{map[string]any{"title": "renamed"}, "Issue title cannot be changed while the issue is RESOLVED; reopen it first."},
			{map[string]any{"dispositionType": "SCRAP"}, "Issue dispositionType cannot be changed while the issue is RESOLVED; reopen it first."},
			{map[string]any{"status": "IN_REVIEW"}, "Issue status cannot change from RESOLVED to IN_REVIEW; from RESOLVED it may change to IN_PROGRESS."},
			{map[string]any{"status": "PENDING"}, "Issue status cannot change from RESOLVED to PENDING; from RESOLVED it may change to IN_PROGRESS."},
			{map[string]any{"status": "IN_PROGRESS"}, "IN_PROGRESS"}, // reopen
			{map[string]any{"dispositionType": "SCRAP"}, "PENDING"},  // a new disposition is approved again
			{map[string]any{"dispositionType": "REPAIR", "status": "IN_PROGRESS"}, "IN_PROGRESS"},
		} {
			input := map[string]any{"id": issue.ID, "etag": etag}
			for k, v := range step.set {
				input[k] = v
			}
			r := s.gql(t, admin, updateIssue, map[string]any{"input": input})
			if !strings.HasPrefix(step.want, "Issue ") {
				var out struct{ Issue issueView }
				r.must(t).field(t, "updateIssue", &out)
				if out.Issue.Status != step.want {
					t.Fatalf("%v: status %s, want %s", step.set, out.Issue.Status, step.want)
				}
				etag = out.Issue.Etag
				continue
			}
			r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, step.want)
			if now := readIssue(t, s, admin, issue.ID); now.Etag != etag {
				t.Fatalf("%v was refused but changed the issue", step.set)
			}
		}
		// A stale etag is the contract's 409, before any rule of the machine.
		s.gql(t, admin, updateIssue, map[string]any{"input": map[string]any{"id": issue.ID, "etag": issue.Etag, "status": "PENDING"}}).
			wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
	})
}

// An issue links the part and inventory it occurred on (the part defaults to
// the inventory's; another part is refused), reads them back nested, and
// answers not-found for another organization's inventory.
func TestIssueLinks(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin, other := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
		part, inv := createPartWithInventory(t, s, admin)
		issue := createIssue(t, s, admin, map[string]any{"partInventoryId": fmt.Sprint(inv)}) // a CSV string
		if issue.PartID == nil || *issue.PartID != part || issue.PartInventoryID == nil || *issue.PartInventoryID != inv {
			t.Fatalf("links: %+v", issue)
		}
		var nested struct {
			Part          struct{ ID int64 }
			PartInventory struct{ ID int64 }
		}
		s.gql(t, admin, `query($id: ID!) { issue(id: $id) { part { id } partInventory { id } } }`, map[string]any{"id": issue.ID}).must(t).field(t, "issue", &nested)
		if nested.Part.ID != part || nested.PartInventory.ID != inv {
			t.Fatalf("nested: %+v", nested)
		}
		otherPart, _ := createPartWithInventory(t, s, admin)
		s.gql(t, admin, `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id } } }`,
			map[string]any{"input": map[string]any{"partInventoryId": inv, "partId": otherPart}}).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("Issue partId must be the part of partInventoryId %d (part %d).", inv, part))
		s.gql(t, admin, updateIssue, map[string]any{"input": map[string]any{"id": issue.ID, "etag": issue.Etag, "partId": otherPart}}).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("Issue partId must be the part of partInventoryId %d (part %d).", inv, part))
		s.gql(t, other, `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id } } }`,
			map[string]any{"input": map[string]any{"partInventoryId": inv}}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("PartInventory with id %d not found.", inv))
		s.gql(t, other, `query($id: ID!) { issue(id: $id) { id } }`, map[string]any{"id": issue.ID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Issue with id %d not found.", issue.ID))
	})
}

func createPartWithInventory(t *testing.T, s *testServer, token string) (part, inventory int64) {
	t.Helper()
	var p struct{ Part struct{ ID int64 } }
	s.gql(t, token, `mutation($input: CreatePartInput!) { createPart(input: $input) { part { id } } }`,
		map[string]any{"input": map[string]any{"partNumber": unique("QP")}}).must(t).field(t, "createPart", &p)
	var i struct{ PartInventory struct{ ID int64 } }
	s.gql(t, token, `mutation($input: CreatePartInventoryInput!) { createPartInventory(input: $input) { partInventory { id } } }`,
		map[string]any{"input": map[string]any{"partId": p.Part.ID, "quantity": 3}}).must(t).field(t, "createPartInventory", &i)
	return p.Part.ID, i.PartInventory.ID
}

// define makes an attribute definition through the entity type's mutation.
func define(t *testing.T, s *testServer, token, mutation string, input map[string]any) {
	t.Helper()
	s.gql(t, token, `mutation($input: OrganizationAttributeInput!) { `+mutation+`(input: $input) { attributeDefinition { id } } }`,
		map[string]any{"input": input}).must(t)
}

// Values given to a defined key are checked against its type on every
// entity kind with attributes (a 422 naming the attribute, nothing
// written), numbers and booleans sent as text are stored as such, and an
// undefined key keeps the type it is given.
func TestAttributeValidation(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		mass, grade, when, code, flag := unique("Mass"), unique("Grade"), unique("Inspected"), unique("Defect"), unique("Contained")
		define(t, s, admin, "updateOrganizationPartAttributes", map[string]any{"key": mass, "type": "NUMBER"})
		define(t, s, admin, "updateOrganizationPartAttributes", map[string]any{"key": grade, "type": "SELECT", "options": []string{"A", "B"}})
		define(t, s, admin, "updateOrganizationPartInventoryAttributes", map[string]any{"key": when, "type": "DATETIME"})
		define(t, s, admin, "updateOrganizationIssueAttributes", map[string]any{"key": code, "type": "MULTISELECT", "options": []string{"DIM", "MAT"}})
		define(t, s, admin, "updateOrganizationIssueAttributes", map[string]any{"key": flag, "type": "BOOLEAN"})
		part, _ := createPartWithInventory(t, s, admin)

		createPart := `mutation($input: CreatePartInput!) { createPart(input: $input) { part { id attributes { key type value } } } }`
		createInv := `mutation($input: CreatePartInventoryInput!) { createPartInventory(input: $input) { partInventory { id attributes { key type value } } } }`
		createIss := `mutation($input: CreateIssueInput!) { createIssue(input: $input) { issue { id attributes { key type value } } } }`
		for _, tc := range []struct {
			entity, query, field string
			input                map[string]any
			msg                  string // "" for accepted
			want                 string // the attributes read back, as JSON
		}{
			{"Part", createPart, "createPart", map[string]any{"attributes": []any{map[string]any{"key": mass, "value": "heavy"}}},
				fmt.Sprintf("Part attribute '%s' must be a number.", mass), ""},
			{"Part", createPart, "createPart", map[string]any{"attributes": []any{map[string]any{"key": mass, "type": "STRING", "value": 3}}},
				fmt.Sprintf("Part attribute '%s' type must be NUMBER, as its definition says.", mass), ""},
			{"Part", createPart, "createPart", map[string]any{"attributes": []any{map[string]any{"key": grade, "value": "C"}}},
				fmt.Sprintf("Part attribute '%s' must be one of A, B.", grade), ""},
			{"Part", createPart, "createPart", map[string]any{"attributes": []any{map[string]any{"key": mass, "value": "12.5"}, map[string]any{"key": grade, "value": "B"}, map[string]any{"key": "Free", "type": "URL", "value": "x"}}},
				"", fmt.Sprintf(`[{"key":%q,"type":"NUMBER","value":12.5},{"key":%q,"type":"SELECT","value":"B"},{"key":"Free","type":"URL","value":"x"}]`, mass, grade)},
			{"PartInventory", createInv, "createPartInventory", map[string]any{"partId": part, "attributes": []any{map[string]any{"key": when, "value": "yesterday"}}},
				fmt.Sprintf("PartInventory attribute '%s' must be an ISO 8601 date such as 2026-01-31.", when), ""},
			{"PartInventory", createInv, "createPartInventory", map[string]any{"partId": part, "attributes": []any{map[string]any{"key": when, "value": "2026-03-01"}}},
				"", fmt.Sprintf(`[{"key":%q,"type":"DATETIME","value":"2026-03-01T00:00:00Z"}]`, when)},
			{"Issue", createIss, "createIssue", map[string]any{"attributes": []any{map[string]any{"key": code, "value": []any{"DIM", "OTHER"}}}},
				fmt.Sprintf("Issue attribute '%s' must be a list of values among DIM, MAT.", code), ""},
			{"Issue", createIss, "createIssue", map[string]any{"attributes": []any{map[string]any{"key": flag, "value": "maybe"}}},
				fmt.Sprintf("Issue attribute '%s' must be true or false.", flag), ""},
			{"Issue", createIss, "createIssue", map[string]any{"attributes": []any{map[string]any{"key": code, "value": []any{"MAT"}}, map[string]any{"key": flag, "value": "true"}}},
				"", fmt.Sprintf(`[{"key":%q,"type":"MULTISELECT","value":["MAT"]},{"key":%q,"type":"BOOLEAN","value":true}]`, code, flag)},
		} {
			if tc.entity == "Part" {
				tc.input["partNumber"] = unique("QA")
			}
			r := s.gql(t, admin, tc.query, map[string]any{"input": tc.input})
			if tc.msg != "" {
				r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, tc.msg)
				if tc.entity == "Part" {
					var c struct{ TotalCount int }
					s.gql(t, admin, `query($n: String) { parts(filters: {partNumber: {eq: $n}}) { totalCount } }`, map[string]any{"n": tc.input["partNumber"]}).must(t).field(t, "parts", &c)
					if c.TotalCount != 0 {
						t.Fatalf("a refused part was written")
					}
				}
				continue
			}
			var out map[string]struct{ Attributes json.RawMessage }
			r.must(t).field(t, tc.field, &out)
			for _, v := range out {
				if string(v.Attributes) != tc.want {
					t.Fatalf("%s attributes: %s, want %s", tc.entity, v.Attributes, tc.want)
				}
			}
		}

		// updateIssueAttribute checks its value the same way.
		issue := createIssue(t, s, admin, map[string]any{})
		s.gql(t, admin, updateAttribute, map[string]any{"input": map[string]any{"issueId": issue.ID, "key": flag, "value": 7}}).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("Issue attribute '%s' must be true or false.", flag))
		if got := readIssue(t, s, admin, issue.ID); len(got.Attributes) != 0 {
			t.Fatalf("a refused attribute was written: %+v", got.Attributes)
		}
		// Definitions: a SELECT needs options, a type is one of ION's, a
		// second definition of a key needs the first's etag.
		for _, tc := range []struct {
			input map[string]any
			msg   string
		}{
			{map[string]any{"key": unique("Sel"), "type": "SELECT"}, "AttributeDefinition options are required for a SELECT attribute."},
			{map[string]any{"key": mass, "type": "STRING"}, "AttributeDefinition etag is required."},
			{map[string]any{"key": mass, "type": "STRING", "etag": "0123456789abcdef0123456789abcdef"}, shopfloor.MsgEtagMismatch},
		} {
			r := s.gql(t, admin, `mutation($input: OrganizationAttributeInput!) { updateOrganizationPartAttributes(input: $input) { attributeDefinition { id } } }`, map[string]any{"input": tc.input})
			status := http.StatusUnprocessableEntity
			if tc.msg == shopfloor.MsgEtagMismatch {
				status = http.StatusConflict
			}
			r.wantError(t, http.StatusOK, status, tc.msg)
		}
	})
}

const updateAttribute = `mutation($input: UpdateIssueAttributeInput!) { updateIssueAttribute(input: $input) { issueAttribute { id Etag key type value } } }`

type attributeView struct {
	IssueAttribute struct {
		ID    int64 `json:"id"`
		Etag  string
		Key   string
		Value any
	}
}

// Issue attributes carry their own Etag (ION's spelling): updateIssueAttribute
// takes it back, by id or by issue and key, refuses a stale or missing one,
// and leaves the issue's own _etag alone.
func TestIssueAttributeEtag(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		key := unique("Lot note")
		issue := createIssue(t, s, admin, map[string]any{"attributes": []any{map[string]any{"key": key, "value": "first"}}})
		attr := issue.Attributes[0]
		if attr.Etag == "" || attr.Value != "first" {
			t.Fatalf("attribute: %+v", attr)
		}
		var out attributeView
		s.gql(t, admin, updateAttribute, map[string]any{"input": map[string]any{"id": attr.ID, "etag": attr.Etag, "value": "second"}}).must(t).field(t, "updateIssueAttribute", &out)
		if out.IssueAttribute.Value != "second" || out.IssueAttribute.Etag == attr.Etag {
			t.Fatalf("updated: %+v", out)
		}
		for _, tc := range []struct {
			input  map[string]any
			status int
			msg    string
		}{
			{map[string]any{"id": attr.ID, "etag": attr.Etag, "value": "stale"}, http.StatusConflict, shopfloor.MsgEtagMismatch},
			{map[string]any{"issueId": issue.ID, "key": key, "etag": attr.Etag, "value": "stale"}, http.StatusConflict, shopfloor.MsgEtagMismatch},
			{map[string]any{"issueId": issue.ID, "key": key, "value": "none"}, http.StatusUnprocessableEntity, "IssueAttribute etag is required."},
			{map[string]any{"value": "nowhere"}, http.StatusUnprocessableEntity, "IssueAttribute id is required (or issueId and key)."},
			{map[string]any{"issueId": issue.ID, "value": "no key"}, http.StatusUnprocessableEntity, "IssueAttribute key is required with issueId."},
			{map[string]any{"id": 99999999, "etag": attr.Etag, "value": 1}, http.StatusNotFound, "IssueAttribute with id 99999999 not found."},
		} {
			s.gql(t, admin, updateAttribute, map[string]any{"input": tc.input}).wantError(t, http.StatusOK, tc.status, tc.msg)
		}
		// By issue and key, as ION's script sends it (a CSV value).
		s.gql(t, admin, updateAttribute, map[string]any{"input": map[string]any{"issueId": issue.ID, "key": key, "etag": out.IssueAttribute.Etag, "value": "third"}}).must(t)
		extra := unique("New key")
		s.gql(t, admin, updateAttribute, map[string]any{"input": map[string]any{"issueId": issue.ID, "key": extra, "value": 4}}).must(t)
		now := readIssue(t, s, admin, issue.ID)
		if now.Etag != issue.Etag {
			t.Fatalf("attribute writes changed the issue's etag")
		}
		if len(now.Attributes) != 2 || now.Attributes[0].Value != "third" || now.Attributes[1].Key != extra || now.Attributes[1].Value != float64(4) {
			t.Fatalf("attributes: %+v", now.Attributes)
		}
	})
}

// Every new mutation is refused to a Read-only user with the contract's
// 403 naming ION's verb and resource, and changes nothing; the reads are
// open to them.
func TestQualityPermissions(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin, viewer := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 0, shopfloor.RoleReadOnly)
		issue := createIssue(t, s, admin, map[string]any{"attributes": []any{map[string]any{"key": "k", "value": 1}}})
		for _, tc := range []struct{ query, msg string }{
			{`mutation { createIssue(input: {title: "x"}) { issue { id } } }`, "User does not have permission to perform CREATE on Issue."},
			{fmt.Sprintf(`mutation { updateIssue(input: {id: %d, etag: %q, title: "x"}) { issue { id } } }`, issue.ID, issue.Etag), "User does not have permission to perform UPDATE on Issue."},
			{fmt.Sprintf(`mutation { updateIssueAttribute(input: {id: %d, etag: %q, value: 2}) { issueAttribute { Etag } } }`, issue.Attributes[0].ID, issue.Attributes[0].Etag), "User does not have permission to perform UPDATE on Issue Attribute."},
			{`mutation { updateOrganizationPartAttributes(input: {key: "k", type: NUMBER}) { attributeDefinition { id } } }`, "User does not have permission to perform UPDATE on Organization."},
			{`mutation { updateOrganizationIssueAttributes(input: {key: "k", type: NUMBER}) { attributeDefinition { id } } }`, "User does not have permission to perform UPDATE on Organization."},
			{`mutation { createBarcodeTemplate(input: {name: "t", entityType: LOCATIONS}) { barcodeTemplate { id } } }`, "User does not have permission to perform CREATE on Barcode Template."},
			{`mutation { createBarcodeLabel(input: {entityId: 1, templateId: 1}) { barcodeLabel { barcode } } }`, "User does not have permission to perform CREATE on Barcode Label."},
			{`mutation { createRule(input: {title: "r", target: ISSUE, eventType: CREATE}) { rule { id } } }`, "User does not have permission to perform UPDATE on Organization."},
			{`mutation { dispatchNotification(input: {userId: 1, title: "t"}) { response { messageId } } }`, "User does not have permission to perform UPDATE on Message Response."},
		} {
			s.gql(t, viewer, tc.query, nil).wantError(t, http.StatusOK, http.StatusForbidden, tc.msg)
		}
		if now := readIssue(t, s, viewer, issue.ID); now.Etag != issue.Etag || now.Attributes[0].Etag != issue.Attributes[0].Etag {
			t.Fatalf("a refused write changed the issue")
		}
		s.gql(t, viewer, `{ issues { totalCount } rules { totalCount } attributeDefinitions { totalCount } barcodeTemplates { totalCount } notifications { totalCount } }`, nil).must(t)
	})
}

// A label fills its template in for the entity its entityId names (ZPL
// command characters in the name become spaces); an entity of another kind
// is refused, and templates are found by entity type as ION's script asks.
func TestBarcodeLabels(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		name := unique("Cage")
		var tpl struct{ BarcodeTemplate struct{ ID int64 } }
		s.gql(t, admin, `mutation($input: CreateBarcodeTemplateInput!) { createBarcodeTemplate(input: $input) { barcodeTemplate { id } } }`,
			map[string]any{"input": map[string]any{"name": name, "entityType": "locations", "template": "^XA^FD{{entityId}}|{{id}}|{{name}}^FS^XZ"}}).must(t).field(t, "createBarcodeTemplate", &tpl)
		var loc struct{ Location struct{ ID, EntityID int64 } }
		s.gql(t, admin, `mutation($input: CreateLocationInput!) { createLocation(input: $input) { location { id entityId } } }`,
			map[string]any{"input": map[string]any{"name": name + "^FS~JR"}}).must(t).field(t, "createLocation", &loc)
		var label struct{ BarcodeLabel struct{ Barcode string } }
		s.gql(t, admin, `mutation($input: CreateBarcodeLabelInput!) { createBarcodeLabel(input: $input) { barcodeLabel { barcode } } }`,
			map[string]any{"input": map[string]any{"entityId": loc.Location.EntityID, "templateId": tpl.BarcodeTemplate.ID}}).must(t).field(t, "createBarcodeLabel", &label)
		if want := fmt.Sprintf("^XA^FD%d|%d|%s FS JR^FS^XZ", loc.Location.EntityID, loc.Location.ID, name); label.BarcodeLabel.Barcode != want {
			t.Fatalf("barcode %q, want %q", label.BarcodeLabel.Barcode, want)
		}
		issue := createIssue(t, s, admin, map[string]any{})
		s.gql(t, admin, `mutation($e: ID!, $t: ID!) { createBarcodeLabel(input: {entityId: $e, templateId: $t}) { barcodeLabel { barcode } } }`,
			map[string]any{"e": issue.EntityID, "t": tpl.BarcodeTemplate.ID}).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("BarcodeLabel templateId %d labels LOCATIONS, not entity %d (Issue).", tpl.BarcodeTemplate.ID, issue.EntityID))
		s.gql(t, admin, `mutation($t: ID!) { createBarcodeLabel(input: {entityId: 99999999, templateId: $t}) { barcodeLabel { barcode } } }`,
			map[string]any{"t": tpl.BarcodeTemplate.ID}).wantError(t, http.StatusOK, http.StatusNotFound, "Entity with id 99999999 not found.")
		var found struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		s.gql(t, admin, `query($filters: BarcodeTemplatesInputFilters!) { barcodeTemplates(filters: $filters) { edges { node { id name entityType } } } }`,
			map[string]any{"filters": map[string]any{"entityType": map[string]any{"eq": "LOCATIONS"}, "name": map[string]any{"eq": name}}}).must(t).field(t, "barcodeTemplates", &found)
		if len(found.Edges) != 1 || found.Edges[0].Node.ID != tpl.BarcodeTemplate.ID {
			t.Fatalf("templates: %+v", found)
		}
	})
}

// createRule as ION's script writes it (an inline input with bare enum
// literals) stores every field and returns it; updateRule enables it with
// its etag; the organization's settings.rules are there beside it.
func TestRules(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		title := unique("Lot required")
		var created struct{ Rule struct{ ID int64 } }
		s.gql(t, admin, `mutation($title: String, $context: String, $code: String) {
  createRule(input: {title: $title, target: RECEIPTITEM, ruleType: VALIDATION, eventType: CREATE, enabled: false,
    context: $context, code: $code, errorState: BLOCK}) { rule { id } } }`,
			map[string]any{"title": title, "context": "{ receiptItem(id: $id) { id } }", "code": "raise ValidationError('no')"}).must(t).field(t, "createRule", &created)
		const ruleFields = `id _etag title target ruleType eventType enabled context code errorState`
		type ruleView struct {
			ID                                                int64  `json:"id"`
			Etag                                              string `json:"_etag"`
			Title, Target, RuleType, EventType, Context, Code string
			ErrorState                                        string
			Enabled                                           bool
		}
		var rule ruleView
		s.gql(t, admin, `query($id: ID!) { rule(id: $id) { `+ruleFields+` } }`, map[string]any{"id": created.Rule.ID}).must(t).field(t, "rule", &rule)
		if rule.Title != title || rule.Target != "RECEIPTITEM" || rule.RuleType != "VALIDATION" || rule.EventType != "CREATE" || rule.Enabled ||
			rule.Context != "{ receiptItem(id: $id) { id } }" || rule.Code != "raise ValidationError('no')" || rule.ErrorState != "BLOCK" {
			t.Fatalf("rule: %+v", rule)
		}
		var updated struct{ Rule ruleView }
		s.gql(t, admin, `mutation($input: UpdateRuleInput!) { updateRule(input: $input) { rule { `+ruleFields+` } } }`,
			map[string]any{"input": map[string]any{"id": rule.ID, "etag": rule.Etag, "enabled": true}}).must(t).field(t, "updateRule", &updated)
		if !updated.Rule.Enabled || updated.Rule.Etag == rule.Etag {
			t.Fatalf("updated: %+v", updated)
		}
		s.gql(t, admin, `mutation($input: UpdateRuleInput!) { updateRule(input: $input) { rule { id } } }`,
			map[string]any{"input": map[string]any{"id": rule.ID, "etag": rule.Etag, "enabled": false}}).wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
		s.gql(t, admin, `mutation { createRule(input: {title: " ", target: ISSUE, eventType: UPDATE}) { rule { id } } }`, nil).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Rule title is required.")
		var me struct {
			Organization struct {
				Settings struct{ Rules struct{ ErrorState string } }
			}
		}
		s.gql(t, admin, `{ me { organization { settings { rules { enabled errorState errorStateMessage } } } } }`, nil).must(t).field(t, "me", &me)
		if me.Organization.Settings.Rules.ErrorState != "BLOCK" {
			t.Fatalf("settings: %+v", me)
		}
	})
}

// A notification is delivered to one user, who reads it as their own; no
// one else finds it, and a user of another organization is not found.
func TestNotifications(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin, viewer := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 0, shopfloor.RoleReadOnly)
		var me struct{ ID int64 }
		s.gql(t, viewer, `{ me { id } }`, nil).must(t).field(t, "me", &me)
		title := unique("Sign-off needed")
		var sent struct {
			Response struct{ MessageID int64 }
		}
		s.gql(t, admin, `mutation($input: DispatchNotificationInput!) { dispatchNotification(input: $input) { response { messageId } } }`,
			map[string]any{"input": map[string]any{"userId": me.ID, "notificationType": "SIGNOFF", "title": title, "description": "Step 3", "linkText": "Open", "path": "https://ion.example/runs/1"}}).
			must(t).field(t, "dispatchNotification", &sent)
		var got struct {
			ID                      int64 `json:"id"`
			NotificationType, Title string
			Path                    string
		}
		s.gql(t, viewer, `query($id: ID!) { notification(id: $id) { id notificationType title path } }`, map[string]any{"id": sent.Response.MessageID}).must(t).field(t, "notification", &got)
		if got.Title != title || got.NotificationType != "SIGNOFF" || got.Path != "https://ion.example/runs/1" {
			t.Fatalf("notification: %+v", got)
		}
		var list struct{ TotalCount int }
		s.gql(t, viewer, `query($t: String) { notifications(filters: {title: {eq: $t}}) { totalCount } }`, map[string]any{"t": title}).must(t).field(t, "notifications", &list)
		if list.TotalCount != 1 {
			t.Fatalf("the recipient lists %d", list.TotalCount)
		}
		s.gql(t, admin, `query($t: String) { notifications(filters: {title: {eq: $t}}) { totalCount } }`, map[string]any{"t": title}).must(t).field(t, "notifications", &list)
		if list.TotalCount != 0 {
			t.Fatalf("the sender lists the recipient's notification")
		}
		s.gql(t, admin, `query($id: ID!) { notification(id: $id) { id } }`, map[string]any{"id": sent.Response.MessageID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("UserNotification with id %d not found.", sent.Response.MessageID))
		var foreign struct{ ID int64 }
		s.gql(t, s.token(t, 1, shopfloor.RoleAdmin), `{ me { id } }`, nil).must(t).field(t, "me", &foreign)
		s.gql(t, admin, `mutation($u: ID!) { dispatchNotification(input: {userId: $u, title: "x"}) { response { messageId } } }`, map[string]any{"u": foreign.ID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("User with id %d not found.", foreign.ID))
		s.gql(t, admin, `mutation($u: ID!) { dispatchNotification(input: {userId: $u, title: ""}) { response { messageId } } }`, map[string]any{"u": me.ID}).
			wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "UserNotification title is required.")
	})
}

// Both demo organizations come with an open NCR on a demo part (with its
// attributes), a barcode template, a rule and a notification for each user.
func TestQualityDemoData(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		for org := range 2 {
			token := s.token(t, org, shopfloor.RoleAdmin)
			var data struct {
				Issues struct {
					Edges []struct {
						Node struct {
							Status     string
							Part       struct{ PartNumber string }
							Attributes []struct{ Key string }
						}
					}
				}
				BarcodeTemplates, Rules, Notifications, AttributeDefinitions struct{ TotalCount int }
			}
			r := s.gql(t, token, `{ issues(filters: {status: {eq: "PENDING"}}) { edges { node { status part { partNumber } attributes { key } } } }
  barcodeTemplates(filters: {entityType: {eq: "LOCATIONS"}}) { totalCount } rules { totalCount } notifications { totalCount }
  attributeDefinitions { totalCount } }`, nil).must(t)
			if err := json.Unmarshal([]byte(r.Raw), &struct{ Data any }{&data}); err != nil {
				t.Fatal(err)
			}
			if len(data.Issues.Edges) == 0 || data.Issues.Edges[0].Node.Part.PartNumber == "" || len(data.Issues.Edges[0].Node.Attributes) == 0 ||
				data.BarcodeTemplates.TotalCount == 0 || data.Rules.TotalCount == 0 || data.Notifications.TotalCount == 0 || data.AttributeDefinitions.TotalCount == 0 {
				t.Fatalf("org %d demo data: %s", org, r.Raw)
			}
		}
	})
}
