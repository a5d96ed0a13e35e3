package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// attributeKind is an entity kind whose custom attributes are set one at a
// time by update<Entity>Attribute, under the entity's etag.
type attributeKind struct {
	entity   string // the name in messages: Run
	define   string // the organization mutation defining its keys
	mutation string // update<Entity>Attribute, its input type and owner field
	input    string
	owner    string
	payload  string                                              // the payload's selection
	read     string                                              // the root query reading one
	create   func(t *testing.T, s *testServer, tok string) int64 // a new entity's id
	// createRead, instead of create and read, makes an entity that has no
	// root query: its id and how to read it.
	createRead func(t *testing.T, s *testServer, tok string) (int64, func(t *testing.T) attributedView)
}

var attributeKinds = []attributeKind{
	{entity: "Run", define: "updateOrganizationRunAttributes", mutation: "updateRunAttribute", input: "UpdateRunAttributeInput", owner: "runId",
		payload: "runAttribute { Etag id entityId key type value }", read: "run",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			procedure, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
			return createRun(t, s, tok, procedure).ID
		}},
	{entity: "Part", define: "updateOrganizationPartAttributes", mutation: "updatePartAttribute", input: "UpdatePartAttributeInput", owner: "partId",
		payload: "part { _etag }", read: "part",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			part, _ := createPartWithInventory(t, s, tok)
			return part
		}},
	{entity: "PartInventory", define: "updateOrganizationPartInventoryAttributes", mutation: "updatePartInventoryAttribute", input: "UpdatePartInventoryAttributeInput",
		owner: "partInventoryId", payload: "partInventory { _etag }", read: "partInventory",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			_, inventory := createPartWithInventory(t, s, tok)
			return inventory
		}},
	{entity: "Supplier", define: "updateOrganizationSupplierAttributes", mutation: "updateSupplierAttribute", input: "UpdateSupplierAttributeInput", owner: "supplierId",
		payload: "supplier { _etag }", read: "supplier",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			return created(t, s, tok, "createSupplier", "CreateSupplierInput", "supplier", map[string]any{"name": unique("Supplier")})
		}},
	{entity: "PurchaseOrder", define: "updateOrganizationPurchaseOrderAttributes", mutation: "updatePurchaseOrderAttribute", input: "UpdatePurchaseOrderAttributeInput",
		owner: "purchaseOrderId", payload: "purchaseOrder { _etag }", read: "purchaseOrder",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			supplier := created(t, s, tok, "createSupplier", "CreateSupplierInput", "supplier", map[string]any{"name": unique("Supplier")})
			return created(t, s, tok, "createPurchaseOrder", "CreatePurchaseOrderInput", "purchaseOrder", map[string]any{"supplierId": supplier})
		}},
	{entity: "Location", define: "updateOrganizationLocationAttributes", mutation: "updateLocationAttribute", input: "UpdateLocationAttributeInput",
		owner: "locationId", payload: "location { _etag }", read: "location",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			return created(t, s, tok, "createLocation", "CreateLocationInput", "location", map[string]any{"name": unique("Location")})
		}},
	{entity: "Procedure", define: "updateOrganizationProcedureAttributes", mutation: "updateProcedureAttribute", input: "UpdateProcedureAttributeInput",
		owner: "procedureId", payload: "procedure { _etag }", read: "procedure",
		create: func(t *testing.T, s *testServer, tok string) int64 { return newProcedure(t, s, tok).ID }},
	{entity: "Step", define: "updateOrganizationStepAttributes", mutation: "updateStepAttribute", input: "UpdateStepAttributeInput",
		owner: "stepId", payload: "step { _etag }", read: "step",
		create: func(t *testing.T, s *testServer, tok string) int64 {
			return newStep(t, s, tok, newProcedure(t, s, tok).ID, nil).ID
		}},
	{entity: "RunStep", define: "updateOrganizationRunStepAttributes", mutation: "updateRunStepAttribute", input: "UpdateRunStepAttributeInput",
		owner: "runStepId", payload: "runStep { _etag }",
		createRead: func(t *testing.T, s *testServer, tok string) (int64, func(t *testing.T) attributedView) {
			procedure, _ := releasedProcedure(t, s, tok, procedureSpec{steps: []stepSpec{{}}})
			run := createRun(t, s, tok, procedure).ID
			return readRunSteps(t, s, tok, run)[0].ID, func(t *testing.T) attributedView { return readRunSteps(t, s, tok, run)[0].attributedView }
		}},
}

type runStepAttributes struct {
	ID int64 `json:"id"`
	attributedView
}

// readRunSteps reads a run's top-level steps with their attributes (a run
// step has no root query).
func readRunSteps(t *testing.T, s *testServer, tok string, run int64) []runStepAttributes {
	t.Helper()
	var out struct{ Steps []runStepAttributes }
	s.gql(t, tok, `query($id: ID!) { run(id: $id) { steps { id _etag attributes { key type value } } } }`, map[string]any{"id": fmt.Sprint(run)}).
		must(t).field(t, "run", &out)
	return out.Steps
}

// created runs a create mutation taking one input and answers the new
// row's id, read from the payload's field.
func created(t *testing.T, s *testServer, tok, mutation, input, field string, in map[string]any) int64 {
	t.Helper()
	var out map[string]struct{ ID int64 }
	s.gql(t, tok, `mutation($input: `+input+`!) { `+mutation+`(input: $input) { `+field+` { id } } }`, map[string]any{"input": in}).
		must(t).field(t, mutation, &out)
	return out[field].ID
}

// made makes an entity of the kind: its id and how to read it back.
func (k attributeKind) made(t *testing.T, s *testServer, tok string) (int64, func(t *testing.T) attributedView) {
	if k.createRead != nil {
		return k.createRead(t, s, tok)
	}
	id := k.create(t, s, tok)
	return id, func(t *testing.T) attributedView { return readAttributed(t, s, tok, k, id) }
}

type attributedView struct {
	Etag       string          `json:"_etag"`
	Attributes json.RawMessage `json:"attributes"`
}

func readAttributed(t *testing.T, s *testServer, tok string, k attributeKind, id int64) attributedView {
	t.Helper()
	var v attributedView
	s.gql(t, tok, `query($id: ID!) { `+k.read+`(id: $id) { _etag attributes { key type value } } }`, map[string]any{"id": fmt.Sprint(id)}).
		must(t).field(t, k.read, &v)
	return v
}

// Every update<Entity>Attribute stores a value of the definition's type and
// reads it back, refuses a wrong-typed value with the 422 naming the
// attribute and a stale etag with the 409, changing nothing either time.
func TestSetOneAttribute(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		for _, k := range attributeKinds {
			t.Run(k.entity, func(t *testing.T) {
				key := unique("Torque")
				define(t, s, admin, k.define, map[string]any{"key": key, "type": "NUMBER"})
				id, read := k.made(t, s, admin)
				before := read(t)
				set := func(value any, etag string) gqlResponse {
					return s.gql(t, admin, `mutation($input: `+k.input+`!) { `+k.mutation+`(input: $input) { `+k.payload+` } }`,
						map[string]any{"input": map[string]any{k.owner: id, "key": key, "value": value, "etag": etag}})
				}
				r := set("12.5", before.Etag).must(t)
				stored := read(t)
				if want := fmt.Sprintf(`[{"key":%q,"type":"NUMBER","value":12.5}]`, key); string(stored.Attributes) != want || stored.Etag == before.Etag {
					t.Fatalf("stored %s (etag %s), want %s under a new etag", stored.Attributes, stored.Etag, want)
				}
				if k.entity == "Run" {
					var out struct {
						RunAttribute struct {
							Etag, Key    string
							ID, EntityID int64
						}
					}
					r.field(t, k.mutation, &out)
					if a := out.RunAttribute; a.Etag != stored.Etag || a.Key != key || a.ID != id || a.EntityID == 0 {
						t.Fatalf("runAttribute %+v, want the run's etag %s and id %d", a, stored.Etag, id)
					}
				}
				set("heavy", stored.Etag).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("%s attribute '%s' must be a number.", k.entity, key))
				set(3, before.Etag).wantError(t, http.StatusOK, http.StatusConflict, shopfloor.MsgEtagMismatch)
				if after := read(t); string(after.Attributes) != string(stored.Attributes) || after.Etag != stored.Etag {
					t.Fatalf("a refused change was written: %s (etag %s)", after.Attributes, after.Etag)
				}
			})
		}
	})
}

// Suppliers and purchase orders given their attributes whole, created or
// updated, are checked against the organization's definitions as one key
// is: the same 422, and nothing stored.
func TestWholeAttributesChecked(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		admin := s.token(t, 0, shopfloor.RoleAdmin)
		for _, k := range []struct {
			entity, define, list, named string // named: the field a filter finds the new row by
		}{
			{entity: "Supplier", define: "updateOrganizationSupplierAttributes", list: "suppliers", named: "name"},
			{entity: "PurchaseOrder", define: "updateOrganizationPurchaseOrderAttributes", list: "purchaseOrders", named: "externalReference"},
		} {
			t.Run(k.entity, func(t *testing.T) {
				key := unique("Grade")
				define(t, s, admin, k.define, map[string]any{"key": key, "type": "NUMBER"})
				want := fmt.Sprintf("%s attribute '%s' must be a number.", k.entity, key)
				field := strings.ToLower(k.entity[:1]) + k.entity[1:]
				write := func(verb string, in map[string]any) gqlResponse {
					return s.gql(t, admin, `mutation($input: `+verb+k.entity+`Input!) { `+strings.ToLower(verb)+k.entity+`(input: $input) { `+field+
						` { id _etag attributes { key type value } } } }`, map[string]any{"input": in})
				}
				name := unique(k.entity)
				high := []map[string]any{{"key": key, "value": "high"}}
				write("Create", map[string]any{k.named: name, "attributes": high}).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, want)
				var found struct{ TotalCount int }
				s.gql(t, admin, `query($v: String) { `+k.list+`(filters: {`+k.named+`: {eq: $v}}) { totalCount } }`, map[string]any{"v": name}).
					must(t).field(t, k.list, &found)
				if found.TotalCount != 0 {
					t.Fatalf("a refused %s was stored", k.entity)
				}

				var made map[string]struct {
					ID int64 `json:"id"`
					attributedView
				}
				write("Create", map[string]any{k.named: name, "attributes": []map[string]any{{"key": key, "value": "7"}}}).
					must(t).field(t, "create"+k.entity, &made)
				stored := made[field]
				if want := fmt.Sprintf(`[{"key":%q,"type":"NUMBER","value":7}]`, key); string(stored.Attributes) != want {
					t.Fatalf("stored %s, want %s", stored.Attributes, want)
				}
				write("Update", map[string]any{"id": stored.ID, "etag": stored.Etag, "attributes": high}).
					wantError(t, http.StatusOK, http.StatusUnprocessableEntity, want)
				var a attributedView
				s.gql(t, admin, `query($id: ID!) { `+field+`(id: $id) { _etag attributes { key type value } } }`, map[string]any{"id": stored.ID}).
					must(t).field(t, field, &a)
				if string(a.Attributes) != string(stored.Attributes) || a.Etag != stored.Etag {
					t.Fatalf("a refused update was written: %s (etag %s)", a.Attributes, a.Etag)
				}
			})
		}
	})
}

// A run starts with a copy of each step's attributes, and a released
// procedure's step refuses a new one, changing nothing.
func TestRunStepsCopyStepAttributes(t *testing.T) {
	onEngines(t, func(t *testing.T, s *testServer) {
		tok := s.token(t, 0, shopfloor.RoleAdmin)
		p := newProcedure(t, s, tok)
		step := newStep(t, s, tok, p.ID, nil)
		set := func(etag string) gqlResponse {
			return s.gql(t, tok, `mutation($input: UpdateStepAttributeInput!) { updateStepAttribute(input: $input) { step { _etag attributes { key type value } } } }`,
				map[string]any{"input": map[string]any{"stepId": step.ID, "key": "Tool", "value": "torque wrench", "etag": etag}})
		}
		var out struct{ Step attributedView }
		set(step.Etag).must(t).field(t, "updateStepAttribute", &out)
		p = mustStatus(t, s, tok, p, shopfloor.ProcedureInReview)
		review(t, s, tok, p.ID).must(t)
		mustStatus(t, s, tok, p, shopfloor.ProcedureReleased)
		runSteps := readRunSteps(t, s, tok, createRun(t, s, tok, p.ID).ID)
		if got := string(runSteps[0].Attributes); got != string(out.Step.Attributes) || got == "[]" {
			t.Fatalf("the run step has %s, its step %s", got, out.Step.Attributes)
		}
		set(out.Step.Etag).wantError(t, http.StatusOK, http.StatusUnprocessableEntity, "Procedure status is RELEASED: only a DRAFT procedure can be edited.")
		var after attributedView
		s.gql(t, tok, `query($id: ID!) { step(id: $id) { _etag attributes { key type value } } }`, map[string]any{"id": step.ID}).must(t).field(t, "step", &after)
		if string(after.Attributes) != string(out.Step.Attributes) || after.Etag != out.Step.Etag {
			t.Fatalf("a refused change was written: %s", after.Attributes)
		}
	})
}
