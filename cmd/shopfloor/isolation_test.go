package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// typeRef is an introspected type reference.
type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

// named unwraps NON_NULL and LIST.
func (t *typeRef) named() *typeRef {
	for t.OfType != nil {
		t = t.OfType
	}
	return t
}

type introField struct {
	Name string
	Args []struct {
		Name string
		Type typeRef
	}
	Type typeRef
}

type introType struct {
	Name        string
	Kind        string
	Fields      []introField
	InputFields []struct {
		Name string
		Type typeRef
	}
	EnumValues []struct{ Name string }
}

const introspection = `{ __schema {
  queryType { fields { ...F } } mutationType { fields { ...F } }
  types { name kind fields { ...F } inputFields { name type { ...T } } enumValues { name } } } }
fragment F on __Field { name args { name type { ...T } } type { ...T } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// foreignData is what another organization holds, as its own admin sees it.
type foreignData struct {
	ids      map[string][]int64 // node type → ids
	etags    map[string]string  // node type → etag of its first item
	clientID string
	orgID    int64
}

// No principal can read or change another organization's data through any
// root field of the schema: every query and mutation field is found by
// introspection and called with the other organization's ids (and etags,
// client ids); reads find nothing of it, writes are refused as not found
// (or, for the organization itself, as the cross-org 403), and its data is
// the same afterwards. A new root field without a way to aim it at another
// org fails the test.
func TestNoRootFieldCrossesOrganizations(t *testing.T) {
	s := startServer(t, "--org-rate", "0", "--key-rate", "0") // it reads every list whole, again and again
	mine, theirs := s.token(t, 0, shopfloor.RoleAdmin), s.token(t, 1, shopfloor.RoleAdmin)
	var schema struct {
		QueryType, MutationType struct{ Fields []introField }
		Types                   []introType
	}
	s.gql(t, mine, introspection, nil).must(t).field(t, "__schema", &schema)
	types := map[string]introType{}
	for _, ty := range schema.Types {
		types[ty.Name] = ty
	}

	// The other org's data, through its own lists; a snapshot of every
	// scalar of every list, to compare after all the writes.
	other := foreignData{ids: map[string][]int64{}, etags: map[string]string{}, orgID: s.orgID(t, theirs)}
	snapshot := func() string {
		var b strings.Builder
		for _, f := range schema.QueryType.Fields {
			if node, ok := connectionNode(types, f); ok {
				b.WriteString(string(s.gql(t, theirs, fmt.Sprintf("{ %s { edges { node { %s } } } }", f.Name, scalars(types[node])), nil).must(t).Data[f.Name]))
			}
		}
		return b.String()
	}
	for _, f := range schema.QueryType.Fields {
		node, ok := connectionNode(types, f)
		if !ok {
			continue
		}
		sel := "id"
		for _, extra := range []string{"_etag", "clientId"} {
			if hasField(types[node], extra) {
				sel += " " + extra
			}
		}
		var conn struct {
			Edges []struct {
				Node struct {
					ID       int64  `json:"id"`
					Etag     string `json:"_etag"`
					ClientID string `json:"clientId"`
				}
			}
		}
		s.gql(t, theirs, fmt.Sprintf("{ %s { edges { node { %s } } } }", f.Name, sel), nil).must(t).field(t, f.Name, &conn)
		if len(conn.Edges) == 0 {
			t.Fatalf("the other org has no %s: the test would prove nothing", f.Name)
		}
		for _, e := range conn.Edges {
			other.ids[node] = append(other.ids[node], e.Node.ID)
		}
		other.etags[node] = conn.Edges[0].Node.Etag
		if node == "APIKey" {
			other.clientID = conn.Edges[0].Node.ClientID
		}
	}
	// Entities without a list root (ION reaches attachments through
	// Part.fileAttachments, subscriptions through their receiver): their
	// ids from the fields of the listed entities that hold them.
	nestedIDs, nestedEtags := map[string][]int64{}, map[string]string{}
	for _, f := range schema.QueryType.Fields {
		node, ok := connectionNode(types, f)
		if !ok {
			continue
		}
		for _, nested := range types[node].Fields {
			held := nested.Type.named().Name
			if _, listed := other.ids[held]; listed || len(nested.Args) > 0 || !hasField(types[held], "id") {
				continue
			}
			sel := "id"
			for _, extra := range []string{"_etag", "entityId"} {
				if hasField(types[held], extra) {
					sel += " " + extra
				}
			}
			var conn struct {
				Edges []struct{ Node map[string]json.RawMessage }
			}
			s.gql(t, theirs, fmt.Sprintf("{ %s { edges { node { %s { %s } } } } }", f.Name, nested.Name, sel), nil).must(t).field(t, f.Name, &conn)
			for _, e := range conn.Edges {
				var items []struct {
					ID       int64  `json:"id"`
					Etag     string `json:"_etag"`
					EntityID int64  `json:"entityId"` // the owner key of an attachment
				}
				raw := e.Node[nested.Name]
				if len(raw) > 0 && raw[0] == '{' {
					raw = append(append([]byte{'['}, raw...), ']')
				}
				if err := json.Unmarshal(raw, &items); err != nil {
					t.Fatalf("%s.%s: %v", node, nested.Name, err)
				}
				for _, it := range items {
					nestedIDs[held] = append(nestedIDs[held], it.ID)
					if it.EntityID != 0 {
						nestedIDs["Entity"] = append(nestedIDs["Entity"], it.EntityID)
					}
					if nestedEtags[held] == "" {
						nestedEtags[held] = it.Etag
					}
				}
			}
		}
	}
	for held, ids := range nestedIDs {
		other.ids[held], other.etags[held] = ids, nestedEtags[held]
	}
	before := snapshot()

	for _, f := range schema.QueryType.Fields {
		t.Run("query "+f.Name, func(t *testing.T) {
			ret := f.Type.named().Name
			switch node, isList := connectionNode(types, f); {
			case isList && sharedCatalogs[node]:
				q := fmt.Sprintf("{ %s { edges { node { %s } } } }", f.Name, scalars(types[node]))
				if a, b := s.gql(t, mine, q, nil).must(t).Data[f.Name], s.gql(t, theirs, q, nil).must(t).Data[f.Name]; string(a) != string(b) {
					t.Fatalf("%s differs between organizations:\n%s\n%s", f.Name, a, b)
				}
			case isList:
				var conn struct {
					Edges []struct{ Node struct{ ID int64 } }
				}
				s.gql(t, mine, fmt.Sprintf("{ %s { edges { node { id } } } }", f.Name), nil).must(t).field(t, f.Name, &conn)
				for _, e := range conn.Edges {
					if slices.Contains(other.ids[node], e.Node.ID) {
						t.Fatalf("%s lists the other org's %s %d", f.Name, node, e.Node.ID)
					}
				}
			case len(f.Args) == 1 && f.Args[0].Name == "id":
				if len(other.ids[ret]) == 0 {
					t.Fatalf("no id of the other org's %s to call %s with: list %s in a root field or a field of a listed entity", ret, f.Name, ret)
				}
				id := other.ids[ret][0]
				r := s.gql(t, mine, fmt.Sprintf("{ %s(id: %d) { id } }", f.Name, id), nil)
				r.wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("%s with id %d not found.", ret, id))
			case ret == "FileUploadUrl":
				// An upload of the caller's org: the other org cannot attach it.
				if len(other.ids["Entity"]) == 0 {
					t.Fatalf("no entityId of the other org to attach to: list an attachment's owner")
				}
				var u struct{ S3Key string }
				s.gql(t, mine, fmt.Sprintf(`{ %s(filename: "cross-org.txt") { s3Key } }`, f.Name), nil).must(t).field(t, f.Name, &u)
				r := s.gql(t, theirs, fmt.Sprintf(`mutation { createFileAttachment(input: {entityId: %d, s3Key: %q}) { fileAttachment { id } } }`,
					other.ids["Entity"][0], u.S3Key), nil)
				r.wantError(t, http.StatusOK, http.StatusUnprocessableEntity, fmt.Sprintf("FileAttachment s3Key '%s' is not an upload of this organization.", u.S3Key))
			case len(f.Args) == 0 && ret == "User":
				var u struct{ ID int64 }
				s.gql(t, mine, fmt.Sprintf("{ %s { id } }", f.Name), nil).must(t).field(t, f.Name, &u)
				if slices.Contains(other.ids["User"], u.ID) {
					t.Fatalf("%s is the other org's user", f.Name)
				}
			case f.Name == "abomInstallation":
				// A real installation of the other org, by its two keys.
				type requirement struct {
					Node struct {
						ID                int64
						AbomInstallations []struct{ PartInventoryID int64 }
					}
				}
				var reqs struct{ Edges []requirement }
				s.gql(t, theirs, `{ buildRequirements { edges { node { id abomInstallations { partInventoryId } } } } }`, nil).must(t).field(t, "buildRequirements", &reqs)
				i := slices.IndexFunc(reqs.Edges, func(e requirement) bool { return len(e.Node.AbomInstallations) > 0 })
				if i < 0 {
					t.Fatalf("no installation of the other org to call %s with", f.Name)
				}
				req, unit := reqs.Edges[i].Node.ID, reqs.Edges[i].Node.AbomInstallations[0].PartInventoryID
				r := s.gql(t, mine, fmt.Sprintf("{ %s(buildRequirementId: %d, partInventoryId: %d) { id } }", f.Name, req, unit), nil)
				r.wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("ABomInstallation of partInventoryId %d on buildRequirementId %d not found.", unit, req))
			default:
				t.Fatalf("no cross-org check for root field %s: add one", f.Name)
			}
		})
	}

	for _, f := range schema.MutationType.Fields {
		t.Run("mutation "+f.Name, func(t *testing.T) {
			target := mutationTarget(f.Name)
			var args []string
			aimed := false
			for _, a := range f.Args {
				if v, ok := foreignValue(types, other, target, a.Name, a.Type, strings.HasPrefix(f.Name, "create") || referenceUpserts[f.Name], &aimed); ok {
					args = append(args, a.Name+": "+v)
				}
			}
			call := f.Name
			if len(args) > 0 {
				call += "(" + strings.Join(args, ", ") + ")"
			}
			r := s.gql(t, mine, "mutation { "+call+" { __typename } }", nil)
			if !aimed {
				// Nothing to aim at the other org (a create without
				// references): it may succeed, in the caller's own org.
				return
			}
			if r.Status != http.StatusOK || len(r.Errors) != 1 || string(r.Data[f.Name]) != "null" ||
				(r.Errors[0].Extensions.Status != http.StatusNotFound && r.Errors[0].Extensions.Status != http.StatusForbidden) {
				t.Fatalf("%s aimed at the other org was not refused as not found: %s", call, r.Raw)
			}
			if r.Errors[0].Extensions.Status == http.StatusForbidden && !strings.HasPrefix(r.Errors[0].Message, "Token organization") {
				t.Fatalf("%s: unexpected 403: %s", call, r.Raw)
			}
		})
	}
	if after := snapshot(); after != before {
		t.Fatalf("the other org's data changed:\n%s\n%s", before, after)
	}
}

// connectionNode returns the node type of a field that returns a
// connection.
func connectionNode(types map[string]introType, f introField) (string, bool) {
	name := f.Type.named().Name
	if !strings.HasSuffix(name, "Connection") {
		return "", false
	}
	for _, e := range types[name].Fields {
		if e.Name == "edges" {
			for _, n := range types[e.Type.named().Name].Fields {
				if n.Name == "node" {
					return n.Type.named().Name, true
				}
			}
		}
	}
	return "", false
}

// hasField reports whether a type has a field of that name.
func hasField(ty introType, name string) bool {
	return slices.ContainsFunc(ty.Fields, func(f introField) bool { return f.Name == name })
}

// scalars is a selection of every scalar field of a type.
func scalars(ty introType) string {
	var out []string
	for _, f := range ty.Fields {
		if k := f.Type.named().Kind; (k == "SCALAR" || k == "ENUM") && len(f.Args) == 0 {
			out = append(out, f.Name)
		}
	}
	return strings.Join(out, " ")
}

// mutationTarget is the entity a mutation acts on: updatePartInventory →
// PartInventory, deleteApiKey → APIKey, addSubtypeToPart → Part.
func mutationTarget(name string) string {
	for _, prefix := range []string{"create", "update", "delete", "copy", "split", "merge"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if rest == "ApiKey" {
				return "APIKey"
			}
			if bom, ok := strings.CutPrefix(rest, "Mbom"); ok { // createMbomItem: MBomItem
				return "MBom" + bom
			}
			return rest
		}
	}
	if name == "checkOut" {
		return "Session"
	}
	if strings.HasSuffix(name, "Part") { // addSubtypeToPart, removeSubtypeFromPart
		return "Part"
	}
	return ""
}

// refEntities are the entities an id-valued input field refers to.
var refEntities = map[string]string{"partId": "Part", "locationId": "Location", "parentId": "Location", "partSubtypeId": "PartSubtype",
	"oauthAppId": "OauthApp", "roleId": "Role", "userId": "User", "supervisorId": "User", "teamId": "Team",
	"unitOfMeasureId": "UnitOfMeasurement", "partInventoryId": "PartInventory", "issueId": "Issue", "templateId": "BarcodeTemplate",
	"supplierId": "Supplier", "purchaseOrderId": "PurchaseOrder",
	"purchaseOrderLineId": "PurchaseOrderLine", "purchaseOrderLineItemId": "PurchaseOrderLine", "reviewerId": "User",
	"procedureId": "Procedure", "stepId": "Step", "upstreamStepId": "Step",
	"labelId": "Label", "familyId": "Procedure", "signoffRoleId": "Role",
	"entityId": "Entity", "receiverId": "WebhookReceiver", "runId": "Run", "runStepId": "RunStep",
	"mbomItemId": "MBomItem", "partKitId": "PartKit", "partKitItemId": "PartKitItem"}

// referenceUpserts are the mutations that, like creates, name the row they
// write by reference: updateIssueAttribute makes the attribute of its issue
// and key when there is none.
var referenceUpserts = map[string]bool{"updateIssueAttribute": true}

// sharedCatalogs are the node types every organization reads the same: a
// catalog (ION's permission groups), not any organization's data.
var sharedCatalogs = map[string]bool{"PermissionGroup": true}

// foreignValue is a GraphQL literal for an argument or input field aimed at
// the other org: its ids, etag and client id where the field takes one,
// harmless values for other required fields; ok false for an optional field
// left out. Optional references are aimed too when optionalRefs (creates).
// aimed records that some value refers to the other org.
func foreignValue(types map[string]introType, other foreignData, target, name string, ty typeRef, optionalRefs bool, aimed *bool) (string, bool) {
	required := ty.Kind == "NON_NULL"
	named := ty.named()
	entity := refEntities[name]
	if name == "parentId" && target == "Step" {
		entity = "Step" // a step's parent is a step
	}
	if name == "parentId" && target == "MBomItem" {
		entity = "Part" // an mBOM item's parent is its assembly
	}
	if !required && !optionalRefs {
		entity = "" // an update aims with its id; changing a reference is another rule
	}
	if name == "id" {
		entity = target
	}
	switch {
	case entity == "Organization":
		*aimed = true
		return fmt.Sprint(other.orgID), true
	case entity != "" && len(other.ids[entity]) > 0:
		*aimed = true
		return fmt.Sprint(other.ids[entity][0]), true
	case name == "clientId":
		*aimed = true
		return fmt.Sprintf("%q", other.clientID), true
	case name == "etag" || name == "_etag":
		return fmt.Sprintf("%q", other.etags[target]), other.etags[target] != ""
	case named.Kind == "INPUT_OBJECT":
		var fields []string
		for _, f := range types[named.Name].InputFields {
			if v, ok := foreignValue(types, other, target, f.Name, f.Type, optionalRefs, aimed); ok {
				fields = append(fields, f.Name+": "+v)
			}
		}
		return "{" + strings.Join(fields, ", ") + "}", true
	case !required:
		return "", false
	case named.Name == "String":
		return `"cross-org"`, true
	case named.Name == "Float" || named.Name == "Int" || named.Name == "ID":
		return "1", true
	case named.Name == "Boolean":
		return "false", true
	case named.Kind == "ENUM" && len(types[named.Name].EnumValues) > 0:
		return types[named.Name].EnumValues[0].Name, true
	}
	return "", false
}
