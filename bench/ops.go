package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// operation is one measured request, as each server spells it. A nil
// request (or an empty raw script) means the server has no such operation.
// PostGraphile's Amber preset calls the primary key rowId (its id is the
// Relay node id).
type operation struct {
	name         string
	shopfloor    func(t *target) request
	postgraphile func(t *target) request
	// raw is the pgbench script of the cheapest statements that give the
	// same answer, for the measured organization of t.
	raw func(t *target) string
	// check is a string the answer must contain.
	check func(t *target) string
	// writes needs each target's (id, etag) rows.
	writes bool
}

// graphql is a POST /graphql request; with vars, the body is a format
// taking an inventory id, its etag and a quantity.
func graphql(t *target, query, vars string) request {
	q, _ := json.Marshal(query)
	body := `{"query":` + string(q)
	if vars != "" {
		body += `,"variables":` + vars
	}
	return request{url: t.url + "/graphql", contentType: "application/json", auth: "Bearer " + t.token, body: body + "}"}
}

// sample20 is the 20 inventory ids the in filter asks for: spread over the
// measured organization's rows.
func sample20(t *target) []string {
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = strconv.FormatInt(t.data.inventoryIDs[i*len(t.data.inventoryIDs)/20], 10)
	}
	return ids
}

var operations = []operation{
	{
		name: "`parts(first: 50)` + inventory + location + totalCount",
		shopfloor: func(t *target) request {
			return graphql(t, `{ parts(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { node { id partNumber revision description quantity `+
				`partInventories { id quantity status location { id name } } } } } }`, "")
		},
		postgraphile: func(t *target) request {
			return graphql(t, `{ allParts(first: 50, orderBy: PRIMARY_KEY_ASC) { totalCount pageInfo { hasNextPage endCursor } edges { node { rowId partNumber revision description quantity `+
				`partInventoriesByPartId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId quantity status locationByLocationId { rowId name } } } } } } }`, "")
		},
		// hasNextPage from a 51st row; quantity and status summed and
		// derived by the client from the rows.
		raw: func(t *target) string {
			return fmt.Sprintf(`SELECT (SELECT count(*) FROM parts WHERE org_id = %[1]d AND deleted_at IS NULL), p.id, p.part_number, p.revision, p.description,
  i.id, i.quantity, l.inventory_available, l.id, l.name
FROM (SELECT id, part_number, revision, description FROM parts WHERE org_id = %[1]d AND deleted_at IS NULL ORDER BY id LIMIT 51) p
LEFT JOIN part_inventories i ON i.part_id = p.id AND i.deleted_at IS NULL
LEFT JOIN locations l ON l.id = i.location_id
ORDER BY p.id, i.id;
`, t.data.orgID)
		},
		check: func(*target) string { return `"totalCount":9060` },
	},
	{
		name: "`partInventories(filters: {id: {in: [20 ids]}})`",
		shopfloor: func(t *target) request {
			return graphql(t, `{ partInventories(filters: {id: {in: [`+strings.Join(sample20(t), ", ")+`]}}) { edges { node { id quantity status lotNumber location { id name } } } } }`, "")
		},
		postgraphile: func(t *target) request {
			return graphql(t, `{ allPartInventories(filter: {rowId: {in: ["`+strings.Join(sample20(t), `", "`)+`"]}}, orderBy: PRIMARY_KEY_ASC) `+
				`{ nodes { rowId quantity status lotNumber locationByLocationId { rowId name } } } }`, "")
		},
		raw: func(t *target) string {
			return fmt.Sprintf(`SELECT i.id, i.quantity, i.lot_number, l.inventory_available, l.id, l.name FROM part_inventories i
LEFT JOIN locations l ON l.id = i.location_id
WHERE i.org_id = %d AND i.deleted_at IS NULL AND i.id IN (%s) ORDER BY i.id;
`, t.data.orgID, strings.Join(sample20(t), ", "))
		},
		check: func(t *target) string { return sample20(t)[19] },
	},
	{
		name: "`updatePartInventory` with etag",
		shopfloor: func(t *target) request {
			return graphql(t, `mutation($id: ID!, $etag: String!, $q: Float!) { updatePartInventory(input: {id: $id, etag: $etag, quantity: $q}) `+
				`{ partInventory { id _etag quantity } } }`, `{"id":%d,"etag":"%s","q":%d}`)
		},
		postgraphile: func(t *target) request {
			return graphql(t, `mutation($id: BigInt!, $etag: String!, $q: Float!) { updatePartInventoryChecked(input: {inventoryId: $id, expectedEtag: $etag, newQuantity: $q}) `+
				`{ result { rowId etag quantity } } }`, `{"id":"%d","etag":"%s","q":%d}`)
		},
		// The etag comparison is left out (pgbench cannot carry the new
		// etag to the next transaction); on the row the id finds it is free.
		raw: func(t *target) string {
			ids := t.data.inventoryIDs
			return fmt.Sprintf(`\set id random(%[1]d, %[2]d)
BEGIN;
UPDATE part_inventories SET quantity = :id %% 97 + 1, etag = md5(random()::text), updated_at = now(), updated_by_id = %[4]d
  WHERE id = :id AND org_id = %[3]d AND deleted_at IS NULL RETURNING id, etag, quantity;
INSERT INTO audit_log (org_id, at, user_id, operation, entity, entity_id) VALUES (%[3]d, now(), %[4]d, 'UpdatePartInventory', 'PartInventory', :id);
END;
`, ids[0], ids[len(ids)-1], t.data.orgID, t.data.userID)
		},
		check:  func(*target) string { return `"quantity"` },
		writes: true,
	},
	{
		name: "`run(id)` with 200 steps and their 400 fields",
		shopfloor: func(t *target) request {
			return graphql(t, fmt.Sprintf(`{ run(id: %d) { id status procedure { id title } steps { id position title status _etag fields { id name type value _etag } } } }`, t.data.runID), "")
		},
		// PostGraphile orders by indexed columns only: the steps' ids
		// follow their positions, as createRun copies them in order.
		postgraphile: func(t *target) request {
			return graphql(t, fmt.Sprintf(`{ runByRowId(rowId: "%d") { rowId status procedureByProcedureId { rowId title } `+
				`runStepsByRunId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId position title status etag runStepFieldsByRunStepId(orderBy: PRIMARY_KEY_ASC) { nodes { rowId name type value etag } } } } } }`, t.data.runID), "")
		},
		raw: func(t *target) string {
			return fmt.Sprintf(`SELECT r.id, r.status, p.id, p.title FROM runs r JOIN procedures p ON p.id = r.procedure_id
  WHERE r.id = %[1]d AND r.org_id = %[2]d AND r.deleted_at IS NULL;
SELECT s.id, s.position, s.title, s.status, s.etag, f.id, f.name, f.type, f.value, f.etag FROM run_steps s
LEFT JOIN run_step_fields f ON f.run_step_id = s.id AND f.deleted_at IS NULL
WHERE s.run_id = %[1]d AND s.org_id = %[2]d AND s.deleted_at IS NULL ORDER BY s.position, f.id;
`, t.data.runID, t.data.orgID)
		},
		check: func(*target) string { return `"Step 199"` },
	},
	{
		name: "token exchange (client_credentials)",
		shopfloor: func(t *target) request {
			key := t.data.creds[0].APIKeys[0]
			form := url.Values{"grant_type": {"client_credentials"}, "client_id": {key.ClientID}, "client_secret": {key.ClientSecret}}
			return request{url: t.url + "/realms/api-keys/protocol/openid-connect/token", contentType: "application/x-www-form-urlencoded", body: form.Encode()}
		},
		check: func(*target) string { return `"access_token"` },
	},
}
