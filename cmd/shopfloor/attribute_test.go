package main

import (
	"encoding/json"
	"fmt"
	"net/http"
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
				id := k.create(t, s, admin)
				before := readAttributed(t, s, admin, k, id)
				set := func(value any, etag string) gqlResponse {
					return s.gql(t, admin, `mutation($input: `+k.input+`!) { `+k.mutation+`(input: $input) { `+k.payload+` } }`,
						map[string]any{"input": map[string]any{k.owner: id, "key": key, "value": value, "etag": etag}})
				}
				r := set("12.5", before.Etag).must(t)
				stored := readAttributed(t, s, admin, k, id)
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
				if after := readAttributed(t, s, admin, k, id); string(after.Attributes) != string(stored.Attributes) || after.Etag != stored.Etag {
					t.Fatalf("a refused change was written: %s (etag %s)", after.Attributes, after.Etag)
				}
			})
		}
	})
}
