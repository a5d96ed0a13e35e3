package main

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// mbomItemRef is an mBOM item as the tests read it.
type mbomItemRef struct {
	ID             int64   `json:"id"`
	Etag           string  `json:"_etag"`
	ParentID       int64   `json:"parentId"`
	PartID         int64   `json:"partId"`
	Quantity       float64 `json:"quantity"`
	MadeOnAssembly bool    `json:"madeOnAssembly"`
	Part           struct {
		PartNumber string `json:"partNumber"`
	} `json:"part"`
	Substitutes []struct {
		PartID int64 `json:"partId"`
	} `json:"substitutes"`
	ReferenceDesignators []struct {
		Value string `json:"value"`
	} `json:"referenceDesignators"`
}

const mbomItemSelection = `id _etag parentId partId quantity madeOnAssembly part { partNumber } substitutes { partId } referenceDesignators { value }`

// newPart creates an untracked part numbered number and returns its id.
func newPart(t *testing.T, b buyer, number string) int64 {
	t.Helper()
	var out struct{ Part struct{ ID int64 } }
	b.ok(t, "createPart", `mutation($n: String!) { createPart(input: {partNumber: $n}) { part { id } } }`, map[string]any{"n": number}, &out)
	return out.Part.ID
}

func createMBomItem(t *testing.T, b buyer, parent, part int64, qty any) gqlResponse {
	t.Helper()
	return b.s.gql(t, b.tok, `mutation($parent: ID!, $part: ID!, $q: Float) { createMbomItem(input: {parentId: $parent, partId: $part, quantity: $q}) { mbomItem { `+mbomItemSelection+` } } }`,
		map[string]any{"parent": parent, "part": part, "q": qty})
}

func mustMBomItem(t *testing.T, b buyer, parent, part int64, qty any) mbomItemRef {
	t.Helper()
	var out struct{ MbomItem mbomItemRef }
	createMBomItem(t, b, parent, part, qty).must(t).field(t, "createMbomItem", &out)
	return out.MbomItem
}

// mbomOf reads a part's mBOM.
func mbomOf(t *testing.T, b buyer, part int64) []mbomItemRef {
	t.Helper()
	var out struct{ Mbom []mbomItemRef }
	b.ok(t, "part", `query($id: ID!) { part(id: $id) { mbom { `+mbomItemSelection+` } } }`, map[string]any{"id": part}, &out)
	return out.Mbom
}

func TestMBomItems(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		na, nb, nc := unique("ASSY"), unique("SUB"), unique("LEAF")
		a, bb, c := newPart(t, b, na), newPart(t, b, nb), newPart(t, b, nc)
		ab := mustMBomItem(t, b, a, bb, 2)
		bc := mustMBomItem(t, b, bb, c, "0.5") // a numeric string, as ION's clients send Floats
		if ab.ParentID != a || ab.PartID != bb || ab.Quantity != 2 || ab.Part.PartNumber != nb || bc.Quantity != 0.5 || len(ab.Etag) != 32 {
			t.Fatalf("created %+v, %+v", ab, bc)
		}

		for _, tc := range []struct {
			name         string
			parent, part int64
			qty          any
			message      string
		}{
			{"zero quantity", a, c, 0, "MBomItem quantity must be greater than 0."},
			{"negative quantity", a, c, -1, "MBomItem quantity must be greater than 0."},
			{"itself", a, a, 1, fmt.Sprintf("MBomItem partId would make a cycle: part %s cannot contain itself.", na)},
			{"its parent", bb, a, 1, fmt.Sprintf("MBomItem partId would make a cycle: %s > %s > %s.", nb, na, nb)},
			{"two levels up", c, a, 1, fmt.Sprintf("MBomItem partId would make a cycle: %s > %s > %s > %s.", nc, na, nb, nc)},
			{"twice under one parent", a, bb, 3, fmt.Sprintf("MBomItem partId %d is not unique under parent %d.", bb, a)},
		} {
			wantInvalid(t, createMBomItem(t, b, tc.parent, tc.part, tc.qty), tc.message)
		}
		// The refusals changed nothing.
		if got := mbomOf(t, b, a); len(got) != 1 || got[0].ID != ab.ID || got[0].Etag != ab.Etag {
			t.Fatalf("%s's mBOM after refusals: %+v", na, got)
		}
		if got := mbomOf(t, b, c); len(got) != 0 {
			t.Fatalf("%s's mBOM after refusals: %+v", nc, got)
		}

		// Moving an item is checked as a new one is.
		r := b.s.gql(t, b.tok, `mutation($id: ID!, $e: String, $parent: ID) { updateMbomItem(input: {id: $id, etag: $e, parentId: $parent}) { mbomItem { id } } }`,
			map[string]any{"id": bc.ID, "e": bc.Etag, "parent": c})
		wantInvalid(t, r, fmt.Sprintf("MBomItem partId would make a cycle: part %s cannot contain itself.", nc))
		var upd struct{ MbomItem mbomItemRef }
		b.ok(t, "updateMbomItem", `mutation($id: ID!, $e: String) { updateMbomItem(input: {id: $id, etag: $e, quantity: 3, madeOnAssembly: true}) { mbomItem { `+mbomItemSelection+` } } }`,
			map[string]any{"id": ab.ID, "e": ab.Etag}, &upd)
		if upd.MbomItem.Quantity != 3 || !upd.MbomItem.MadeOnAssembly || upd.MbomItem.Etag == ab.Etag {
			t.Fatalf("updated: %+v", upd.MbomItem)
		}
		b.s.gql(t, b.tok, `mutation($id: ID!, $e: String) { updateMbomItem(input: {id: $id, etag: $e, quantity: 4}) { mbomItem { id } } }`,
			map[string]any{"id": ab.ID, "e": ab.Etag}).wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($id: ID!, $e: String) { updateMbomItem(input: {id: $id, etag: $e, quantity: 0}) { mbomItem { id } } }`,
			map[string]any{"id": ab.ID, "e": upd.MbomItem.Etag}), "MBomItem quantity must be greater than 0.")

		// Substitutes and reference designators.
		var sub struct{ MbomSubstitute struct{ ID int64 } }
		b.ok(t, "createMbomSubstitute", `mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
			map[string]any{"i": ab.ID, "p": c}, &sub)
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
			map[string]any{"i": ab.ID, "p": bb}), fmt.Sprintf("MBomSubstitute partId %d is the mBOM item's own part.", bb))
		var rd struct {
			MbomItemReferenceDesignator struct {
				Etag       string `json:"_etag"`
				MbomItemID int64  `json:"mbomItemId"`
				Value      string
			}
		}
		b.ok(t, "createMbomItemReferenceDesignator", `mutation($i: ID!) { createMbomItemReferenceDesignator(input: {mbomItemId: $i, value: " U7 "}) { mbomItemReferenceDesignator { _etag id mbomItemId value } } }`,
			map[string]any{"i": fmt.Sprint(ab.ID)}, &rd) // the id as a typed string, as ION's clients send it
		if rd.MbomItemReferenceDesignator.Value != "U7" || rd.MbomItemReferenceDesignator.MbomItemID != ab.ID {
			t.Fatalf("reference designator: %+v", rd)
		}
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($i: ID!) { createMbomItemReferenceDesignator(input: {mbomItemId: $i, value: "U7"}) { mbomItemReferenceDesignator { id } } }`,
			map[string]any{"i": ab.ID}), fmt.Sprintf(`MBomItemReferenceDesignator value "U7" is not unique for mBOM item %d.`, ab.ID))
		got := mbomOf(t, b, a)
		if len(got) != 1 || len(got[0].Substitutes) != 1 || got[0].Substitutes[0].PartID != c ||
			len(got[0].ReferenceDesignators) != 1 || got[0].ReferenceDesignators[0].Value != "U7" || got[0].Etag != upd.MbomItem.Etag {
			t.Fatalf("%s's mBOM: %+v", na, got)
		}

		// Lists and the single fetch.
		var list struct {
			Edges []struct{ Node mbomItemRef }
		}
		b.ok(t, "mbomItems", `query($p: ID) { mbomItems(filters: {parentId: {eq: $p}}) { edges { node { `+mbomItemSelection+` } } } }`, map[string]any{"p": bb}, &list)
		if len(list.Edges) != 1 || list.Edges[0].Node.ID != bc.ID {
			t.Fatalf("mbomItems under %s: %+v", nb, list)
		}
		var one struct {
			ID     int64
			Parent struct{ ID int64 }
		}
		b.ok(t, "mbomItem", `query($id: ID!) { mbomItem(id: $id) { id parent { id } } }`, map[string]any{"id": bc.ID}, &one)
		if one.ID != bc.ID || one.Parent.ID != bb {
			t.Fatalf("mbomItem: %+v", one)
		}

		// Deleting takes the item out with its substitutes; a stale etag is
		// a 409 and deletes nothing.
		b.s.gql(t, b.tok, `mutation($id: ID!, $e: String!) { deleteMbomItem(id: $id, etag: $e) { id } }`,
			map[string]any{"id": ab.ID, "e": ab.Etag}).wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		b.ok(t, "deleteMbomItem", `mutation($id: ID!, $e: String!) { deleteMbomItem(id: $id, etag: $e) { id } }`, map[string]any{"id": ab.ID, "e": upd.MbomItem.Etag}, &struct{}{})
		if got := mbomOf(t, b, a); len(got) != 0 {
			t.Fatalf("%s's mBOM after delete: %+v", na, got)
		}
		var subs struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		b.ok(t, "mbomSubstitutes", `query($i: ID) { mbomSubstitutes(filters: {mbomItemId: {eq: $i}}) { edges { node { id } } } }`, map[string]any{"i": ab.ID}, &subs)
		if len(subs.Edges) != 0 {
			t.Fatalf("substitutes of a deleted item: %+v", subs)
		}
		// With the item gone, the cycle is gone too.
		mustMBomItem(t, b, c, a, 1)
	})
}

func TestMBomPermissions(t *testing.T) {
	t.Parallel()
	s := sharedServer(t, sqliteEngine)
	admin := newBuyer(t, s, 0)
	a, c := newPart(t, admin, unique("ASSY")), newPart(t, admin, unique("LEAF"))
	viewer := buyer{s: s, tok: s.token(t, 0, shopfloor.RoleReadOnly)}
	createMBomItem(t, viewer, a, c, 1).wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on MBOM Item.")
	if got := mbomOf(t, admin, a); len(got) != 0 {
		t.Fatalf("a refused create wrote %+v", got)
	}
}

func TestMBomBulkImport(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		top, p1, p2, p3 := unique("TOP"), unique("P1"), unique("P2"), unique("P3")
		topID, p1ID, p2ID, p3ID := newPart(t, b, top), newPart(t, b, p1), newPart(t, b, p2), newPart(t, b, p3)
		missing := unique("NOPE")
		rows := []map[string]any{
			{"depth": 0, "partNumber": top, "revision": "A", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 1, "partNumber": p1, "revision": "", "quantity": 2, "substitutes": p3, "madeOnAssembly": false},
			{"depth": 2, "partNumber": p2, "revision": "A", "quantity": 1, "substitutes": "", "madeOnAssembly": true},
			{"depth": 1, "partNumber": missing, "revision": "", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 2, "partNumber": p2, "revision": "", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 1, "partNumber": p2, "revision": "", "quantity": 0, "substitutes": "", "madeOnAssembly": false},
			{"depth": 5, "partNumber": p3, "revision": "", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 1, "partNumber": top, "revision": "", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 1, "partNumber": p3, "revision": "B", "quantity": 1, "substitutes": "", "madeOnAssembly": false},
			{"depth": 1, "partNumber": p3, "revision": "", "quantity": 1, "substitutes": missing, "madeOnAssembly": false},
		}
		type result struct {
			ErrorMessages []struct {
				RowID    int    `json:"rowId"`
				ErrorMsg string `json:"errorMsg"`
			} `json:"errorMessages"`
			NewMbomRowIds []int64 `json:"newMbomRowIds"`
		}
		const importDoc = `mutation($input: CreateOrUpdateMultipleMBomsNotationInput!) { createOrUpdateMultipleMboms(input: $input) { errorMessages { rowId errorMsg } newMbomRowIds } }`
		var got result
		b.ok(t, "createOrUpdateMultipleMboms", importDoc, map[string]any{"input": map[string]any{"importerType": "DEPTH", "depthInputs": rows, "levelInputs": []any{}}}, &got)
		want := map[int]string{
			4:  fmt.Sprintf("Part %s does not exist.", missing),
			5:  "Its parent row 4 was not imported.",
			6:  "MBomItem quantity must be greater than 0.",
			7:  "depth 5 has no parent row of depth 4 above it.",
			8:  fmt.Sprintf("MBomItem partId would make a cycle: part %s cannot contain itself.", top),
			9:  fmt.Sprintf("Part %s revision B does not exist.", p3),
			10: fmt.Sprintf("Part %s does not exist.", missing),
		}
		gotMsgs := map[int]string{}
		for _, e := range got.ErrorMessages {
			gotMsgs[e.RowID] = e.ErrorMsg
		}
		if !reflect.DeepEqual(gotMsgs, want) || len(got.ErrorMessages) != len(want) || len(got.NewMbomRowIds) != 2 {
			t.Fatalf("import: %+v", got)
		}
		mbom := mbomOf(t, b, topID)
		if len(mbom) != 1 || mbom[0].PartID != p1ID || mbom[0].Quantity != 2 || mbom[0].ID != got.NewMbomRowIds[0] ||
			len(mbom[0].Substitutes) != 1 || mbom[0].Substitutes[0].PartID != p3ID {
			t.Fatalf("%s's mBOM: %+v", top, mbom)
		}
		if sub := mbomOf(t, b, p1ID); len(sub) != 1 || sub[0].PartID != p2ID || !sub[0].MadeOnAssembly || sub[0].ID != got.NewMbomRowIds[1] {
			t.Fatalf("%s's mBOM: %+v", p1, sub)
		}
		if sub := mbomOf(t, b, p3ID); len(sub) != 0 {
			t.Fatalf("a refused row wrote %s's mBOM: %+v", p3, sub)
		}

		// The same mBOM in LEVEL notation updates the item there and adds
		// the new one.
		levels := []map[string]any{
			{"level": "1", "partNumber": top, "quantity": 1},
			{"level": "1.1", "partNumber": p1, "quantity": 5},
			{"level": "1.2", "partNumber": p2, "quantity": 3},
			{"level": "1.x", "partNumber": p2, "quantity": 3},
		}
		got = result{}
		b.ok(t, "createOrUpdateMultipleMboms", importDoc, map[string]any{"input": map[string]any{"importerType": "LEVEL", "depthInputs": []any{}, "levelInputs": levels}}, &got)
		if len(got.ErrorMessages) != 1 || got.ErrorMessages[0].RowID != 4 || got.ErrorMessages[0].ErrorMsg != "level must be dot-separated numbers such as 1.2.1." ||
			len(got.NewMbomRowIds) != 2 || got.NewMbomRowIds[0] != mbom[0].ID {
			t.Fatalf("level import: %+v", got)
		}
		mbom = mbomOf(t, b, topID)
		if len(mbom) != 2 || mbom[0].Quantity != 5 || mbom[1].PartID != p2ID || mbom[1].Quantity != 3 {
			t.Fatalf("%s's mBOM after the level import: %+v", top, mbom)
		}
	})
}
