package main

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// lineOrder reads an order's lines: ids and positions, in the order read.
func (b buyer) lineOrder(tb testing.TB, poID int64) (ids []int64, positions []int) {
	tb.Helper()
	var po struct {
		PurchaseOrderLines []struct {
			ID       int64
			Position int
		}
	}
	b.ok(tb, "purchaseOrder", `query($id: ID!) { purchaseOrder(id: $id) { purchaseOrderLines { id position } } }`, map[string]any{"id": poID}, &po)
	for _, l := range po.PurchaseOrderLines {
		ids, positions = append(ids, l.ID), append(positions, l.Position)
	}
	return ids, positions
}

const reorderLine = `mutation($in: ReorderPurchaseOrderLineInput!) { reorderPurchaseOrderLine(input: $in) { purchaseOrderLine { id _etag position } } }`

// reorderPurchaseOrderLine moves a line of a DRAFT order, the lines then
// numbered from 0; a place out of range, a stale etag or an order past
// DRAFT is refused and changes nothing.
func TestReorderPurchaseOrderLine(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		part := b.part(t, "")
		id, lines := b.order(t, line{part, 1, 1}, line{part, 2, 1}, line{part, 3, 1})
		if ids, pos := b.lineOrder(t, id); !sameJSON(t, ids, lines) || !sameJSON(t, pos, []int{0, 1, 2}) {
			t.Fatalf("new lines read %v at %v", ids, pos)
		}
		po := b.read(t, id)
		etag := map[int64]string{}
		for _, l := range po.PurchaseOrderLines {
			etag[l.ID] = l.Etag
		}
		wantInvalid(t, b.s.gql(t, b.tok, reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "etag": etag[lines[2]], "index": 3}}),
			"PurchaseOrderLine index must be between 0 and 2.")
		b.s.gql(t, b.tok, reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "etag": etag[lines[0]], "index": 0}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if ids, _ := b.lineOrder(t, id); !sameJSON(t, ids, lines) {
			t.Fatalf("refused reorders moved lines: %v", ids)
		}
		var moved struct {
			PurchaseOrderLine struct {
				ID       int64
				Etag     string `json:"_etag"`
				Position int
			}
		}
		b.ok(t, "reorderPurchaseOrderLine", reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "_etag": etag[lines[2]], "index": 0}}, &moved)
		if moved.PurchaseOrderLine.Position != 0 || moved.PurchaseOrderLine.Etag == etag[lines[2]] {
			t.Fatalf("moved line: %+v", moved.PurchaseOrderLine)
		}
		want := []int64{lines[2], lines[0], lines[1]}
		if ids, pos := b.lineOrder(t, id); !sameJSON(t, ids, want) || !sameJSON(t, pos, []int{0, 1, 2}) {
			t.Fatalf("after the move the lines read %v at %v, want %v", ids, pos, want)
		}
		b.ok(t, "reorderPurchaseOrderLine", reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "etag": moved.PurchaseOrderLine.Etag, "index": 2}}, &moved)
		if ids, pos := b.lineOrder(t, id); !sameJSON(t, ids, []int64{lines[0], lines[1], lines[2]}) || !sameJSON(t, pos, []int{0, 1, 2}) {
			t.Fatalf("moved back to the end the lines read %v at %v", ids, pos)
		}
		b.move(t, id, "APPROVED", "ORDERED")
		wantInvalid(t, b.s.gql(t, b.tok, reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "etag": moved.PurchaseOrderLine.Etag, "index": 0}}),
			"PurchaseOrderLine cannot be reordered while its purchase order is ORDERED.")
		b.s.gql(t, b.s.token(t, 0, "Read-only"), reorderLine, map[string]any{"in": map[string]any{"id": lines[2], "etag": moved.PurchaseOrderLine.Etag, "index": 0}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Purchase Order Line.")
	})
}

// Line and receipt attributes go through the one setAttribute path (etag
// checked, in any status of the order); updateReceipt changes a receipt's
// notes and attributes under its etag.
func TestLineAndReceiptAttributes(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		part, dock := b.part(t, ""), b.location(t, true)
		id, lines := b.order(t, line{part, 2, 1})
		b.move(t, id, "APPROVED", "ORDERED")
		lineAttr := `mutation($in: UpdatePurchaseOrderLineAttributeInput!) { updatePurchaseOrderLineAttribute(input: $in) { purchaseOrderLine { _etag attributes { key value } } } }`
		po := b.read(t, id)
		s.gql(t, b.tok, lineAttr, map[string]any{"in": map[string]any{"purchaseOrderLineId": lines[0], "key": "Paid", "value": true, "etag": po.Etag}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		raw := string(s.gql(t, b.tok, lineAttr, map[string]any{"in": map[string]any{"purchaseOrderLineId": lines[0], "key": "Paid", "value": true, "etag": po.PurchaseOrderLines[0].Etag}}).
			must(t).Data["updatePurchaseOrderLineAttribute"])
		if !strings.Contains(raw, `"attributes":[{"key":"Paid","value":true}]`) {
			t.Fatalf("line attribute: %s", raw)
		}

		var rec struct {
			Receipt struct {
				ID   int64
				Etag string `json:"_etag"`
			}
		}
		b.receive(t, item(lines[0], 2, "locationId", dock)).must(t).field(t, "createReceipt", &rec)
		update := `mutation($in: UpdateReceiptInput!) { updateReceipt(input: $in) { receipt { id _etag notes attributes { key value } } } }`
		wantInvalid(t, s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": rec.Receipt.ID, "etag": rec.Receipt.Etag, "notes": strings.Repeat("n", 2049)}}),
			"Receipt notes must be at most 2048 characters.")
		s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": rec.Receipt.ID, "etag": po.Etag, "notes": "Box 1 of 2"}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		var up struct {
			Receipt struct {
				Etag  string `json:"_etag"`
				Notes string
			}
		}
		b.ok(t, "updateReceipt", update, map[string]any{"in": map[string]any{"id": rec.Receipt.ID, "etag": rec.Receipt.Etag, "notes": "Box 1 of 2",
			"attributes": []map[string]any{{"key": "Carrier", "value": "DHL"}}}}, &up)
		if up.Receipt.Notes != "Box 1 of 2" || up.Receipt.Etag == rec.Receipt.Etag {
			t.Fatalf("updateReceipt: %+v", up.Receipt)
		}
		recAttr := `mutation($in: UpdateReceiptAttributeInput!) { updateReceiptAttribute(input: $in) { receipt { _etag notes attributes { key value } } } }`
		raw = string(s.gql(t, b.tok, recAttr, map[string]any{"in": map[string]any{"receiptId": rec.Receipt.ID, "key": "Boxes", "value": 2, "etag": up.Receipt.Etag}}).
			must(t).Data["updateReceiptAttribute"])
		if !strings.Contains(raw, `"notes":"Box 1 of 2","attributes":[{"key":"Carrier","value":"DHL"},{"key":"Boxes","value":2}]`) {
			t.Fatalf("receipt attribute: %s", raw)
		}
		s.gql(t, s.token(t, 0, "Read-only"), recAttr, map[string]any{"in": map[string]any{"receiptId": rec.Receipt.ID, "key": "Boxes", "value": 3, "etag": up.Receipt.Etag}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Receipt Attribute.")
	})
}

// Currencies: ISO 4217 codes upper-cased and unique in an organization,
// etags checked, an order priced in one, which then is not deleted.
func TestCurrencies(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		letters := make([]byte, 2)
		if _, err := rand.Read(letters); err != nil {
			t.Fatal(err)
		}
		code := fmt.Sprintf("X%c%c", 'A'+letters[0]%26, 'A'+letters[1]%26)
		create := `mutation($in: CreateCurrencyInput!) { createCurrency(input: $in) { currency { id _etag code name symbol } } }`
		wantInvalid(t, s.gql(t, b.tok, create, map[string]any{"in": map[string]any{"code": "EURO", "name": "Euro"}}), "Currency code must be an ISO 4217 code of 3 letters.")
		wantInvalid(t, s.gql(t, b.tok, create, map[string]any{"in": map[string]any{"code": code, "name": " "}}), "Currency name is required.")
		type currency struct {
			ID     int64
			Etag   string `json:"_etag"`
			Code   string
			Name   string
			Symbol *string
		}
		var made struct{ Currency currency }
		b.ok(t, "createCurrency", create, map[string]any{"in": map[string]any{"code": " " + strings.ToLower(code) + " ", "name": "Test crowns", "symbol": "¤"}}, &made)
		if made.Currency.Code != code || *made.Currency.Symbol != "¤" {
			t.Fatalf("created %+v", made.Currency)
		}
		wantInvalid(t, s.gql(t, b.tok, create, map[string]any{"in": map[string]any{"code": code, "name": "Again"}}), fmt.Sprintf("Currency with code '%s' already exists.", code))
		update := `mutation($in: UpdateCurrencyInput!) { updateCurrency(input: $in) { currency { id _etag code name symbol } } }`
		s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": made.Currency.ID, "etag": "0123456789abcdef0123456789abcdef", "name": "x"}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		var up struct{ Currency currency }
		b.ok(t, "updateCurrency", update, map[string]any{"in": map[string]any{"id": made.Currency.ID, "etag": made.Currency.Etag, "name": "Test kronor"}}, &up)
		var list struct{ Edges []struct{ Node currency } }
		b.ok(t, "currencies", `query($c: String) { currencies(filters: {code: {eq: $c}}) { edges { node { id _etag code name symbol } } } }`, map[string]any{"c": code}, &list)
		if len(list.Edges) != 1 || !sameJSON(t, list.Edges[0].Node, up.Currency) {
			t.Fatalf("currencies: %+v, want %+v", list, up.Currency)
		}

		var po struct {
			PurchaseOrder struct {
				ID         int64
				CurrencyID int64
			}
		}
		b.ok(t, "createPurchaseOrder", `mutation($c: ID) { createPurchaseOrder(input: {currencyId: $c}) { purchaseOrder { id currencyId } } }`, map[string]any{"c": up.Currency.ID}, &po)
		if po.PurchaseOrder.CurrencyID != up.Currency.ID {
			t.Fatalf("order priced in %d", po.PurchaseOrder.CurrencyID)
		}
		s.gql(t, b.tok, `mutation { createPurchaseOrder(input: {currencyId: 999999999}) { purchaseOrder { id } } }`, nil).
			wantError(t, http.StatusOK, http.StatusNotFound, "Currency with id 999999999 not found.")
		del := `mutation($id: ID!, $e: String!) { deleteCurrency(id: $id, etag: $e) { id } }`
		wantInvalid(t, s.gql(t, b.tok, del, map[string]any{"id": up.Currency.ID, "e": up.Currency.Etag}), "Currency cannot be deleted while purchase orders are priced in it.")
		s.gql(t, s.token(t, 0, "Read-only"), create, map[string]any{"in": map[string]any{"code": "XXX", "name": "No"}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Currency.")
		var gone struct{ ID int64 }
		b.ok(t, "deletePurchaseOrder", `mutation($id: ID!, $e: String!) { deletePurchaseOrder(id: $id, etag: $e) { id } }`,
			map[string]any{"id": po.PurchaseOrder.ID, "e": b.read(t, po.PurchaseOrder.ID).Etag}, &gone)
		b.ok(t, "deleteCurrency", del, map[string]any{"id": up.Currency.ID, "e": up.Currency.Etag}, &gone)
		s.gql(t, b.tok, `query($id: ID!) { currency(id: $id) { id } }`, map[string]any{"id": up.Currency.ID}).
			wantError(t, http.StatusOK, http.StatusNotFound, fmt.Sprintf("Currency with id %d not found.", up.Currency.ID))
	})
}
