package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// workKit is a kit as the workflow tests read it.
type workKit struct {
	ID                 int64
	Etag               string `json:"_etag"`
	Name               string
	Status             string
	RunID              *int64
	StagingLocationID  *int64
	DeliveryLocationID *int64
	PartKitItems       []workKitItem
}

type workKitItem struct {
	ID              int64
	Quantity        float64
	PartID          int64
	PartInventories []struct {
		ID         int64
		Etag       string `json:"_etag"`
		LocationID *int64
		Status     string
	}
}

const workKitFields = `id _etag name status runId stagingLocationId deliveryLocationId
	partKitItems { id quantity partId partInventories { id _etag locationId status } }`

func (b buyer) workKit(tb testing.TB, id int64) workKit {
	tb.Helper()
	var k workKit
	b.ok(tb, "partKit", `query($id: ID!) { partKit(id: $id) { `+workKitFields+` } }`, map[string]any{"id": id}, &k)
	return k
}

// quantities maps each item's part to its quantity.
func (k workKit) quantities() map[int64]float64 {
	out := map[int64]float64{}
	for _, it := range k.PartKitItems {
		out[it.PartID] = it.Quantity
	}
	return out
}

// kitCall runs a kit workflow mutation and decodes its partKit.
func (b buyer) kitCall(tb testing.TB, field, input string, in map[string]any) workKit {
	tb.Helper()
	var out struct{ PartKit workKit }
	b.ok(tb, field, `mutation($in: `+input+`!) { `+field+`(input: $in) { partKit { `+workKitFields+` } } }`, map[string]any{"in": in}, &out)
	return out.PartKit
}

func (b buyer) kitRefused(tb testing.TB, field, input string, in map[string]any) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($in: `+input+`!) { `+field+`(input: $in) { partKit { id } } }`, map[string]any{"in": in})
}

// The kit workflow over HTTP: a kit made from a run's mBOM, parts added
// from mBOMs with quantities merged exactly, the unfulfilled rest split
// into a new kit, and all of a kit's inventory moved at once (each unit's
// etag renewed, DELIVERED at the delivery location); every refusal is
// exact and changes nothing.
func TestKitWorkflow(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		s := b.s
		assembly, sub := b.part(t, ""), b.part(t, "")
		x, y, w := b.part(t, ""), b.part(t, ""), b.part(t, "")
		mustMBomItem(t, b, assembly, x, 0.1)
		mustMBomItem(t, b, assembly, y, 2)
		mustMBomItem(t, b, sub, x, 1)
		mustMBomItem(t, b, sub, w, 0.5)
		staging, delivery, bench := b.location(t, true), b.location(t, true), b.location(t, true)
		procID, _ := releasedProcedure(t, s, b.tok, procedureSpec{steps: []stepSpec{{}}})
		title := unique("Build")
		var run struct{ Run struct{ ID int64 } }
		b.ok(t, "createRun", `mutation($p: ID!, $part: ID, $t: String) { createRun(input: {procedureId: $p, partId: $part, title: $t}) { run { id } } }`,
			map[string]any{"p": procID, "part": assembly, "t": title}, &run)
		partless := createRunSelecting(t, s, b.tok, procID, "id")

		const forRun = "CreateKitForRunInput"
		wantInvalid(t, b.kitRefused(t, "createKitForRun", forRun, map[string]any{"runId": partless.ID}),
			fmt.Sprintf("PartKit runId must name a run of a part: run %d builds none.", partless.ID))
		b.kitRefused(t, "createKitForRun", forRun, map[string]any{"runId": run.Run.ID, "stagingLocationId": 999999999}).
			wantError(t, http.StatusOK, http.StatusNotFound, "Location with id 999999999 not found.")
		s.gql(t, s.token(t, 0, "Read-only"), `mutation($in: CreateKitForRunInput!) { createKitForRun(input: $in) { partKit { id } } }`,
			map[string]any{"in": map[string]any{"runId": run.Run.ID}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform CREATE on Part Kit.")
		var kits struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		b.ok(t, "partKits", `query($r: ID) { partKits(filters: {runId: {eq: $r}}) { edges { node { id } } } }`, map[string]any{"r": run.Run.ID}, &kits)
		if len(kits.Edges) != 0 {
			t.Fatalf("refused createKitForRun made kits: %+v", kits)
		}

		kit := b.kitCall(t, "createKitForRun", forRun, map[string]any{"runId": run.Run.ID, "stagingLocationId": staging, "deliveryLocationId": delivery})
		b.ok(t, "partKits", `query($r: ID) { partKits(filters: {runId: {eq: $r}}) { edges { node { id } } } }`, map[string]any{"r": run.Run.ID}, &kits)
		if len(kits.Edges) != 1 || kits.Edges[0].Node.ID != kit.ID {
			t.Fatalf("the run's kits: %+v", kits)
		}
		if kit.Status != "DRAFT" || kit.Name != "Kit for "+title || kit.RunID == nil || *kit.RunID != run.Run.ID ||
			*kit.StagingLocationID != staging || *kit.DeliveryLocationID != delivery || !sameJSON(t, kit.quantities(), map[int64]float64{x: 0.1, y: 2}) {
			t.Fatalf("createKitForRun: %+v", kit)
		}

		const fromMbom = "AddPartsToKitFromMbomInput"
		for _, c := range []struct {
			in   map[string]any
			want string
		}{
			{map[string]any{"partKitId": kit.ID, "quantity": 0}, "PartKit quantity must be greater than 0."},
			{map[string]any{"partKitId": kit.ID, "partId": w}, fmt.Sprintf("PartKit partId must name a part with an mBOM: part %d has no mBOM items.", w)},
		} {
			wantInvalid(t, b.kitRefused(t, "addPartsToKitFromMbom", fromMbom, c.in), c.want)
		}
		b.kitRefused(t, "addPartsToKitFromMbom", fromMbom, map[string]any{"partKitId": kit.ID, "etag": "0123456789abcdef0123456789abcdef", "quantity": 3}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if got := b.workKit(t, kit.ID); !sameJSON(t, got, kit) {
			t.Fatalf("refusals changed the kit:\n got %+v\nwant %+v", got, kit)
		}
		kit = b.kitCall(t, "addPartsToKitFromMbom", fromMbom, map[string]any{"partKitId": kit.ID, "etag": kit.Etag, "quantity": 3})
		if !sameJSON(t, kit.quantities(), map[int64]float64{x: 0.4, y: 8}) || len(kit.PartKitItems) != 2 {
			t.Fatalf("the run's mBOM three times more: %+v", kit.PartKitItems)
		}
		kit = b.kitCall(t, "addPartsToKitFromMbom", fromMbom, map[string]any{"partKitId": kit.ID, "partId": sub})
		if !sameJSON(t, kit.quantities(), map[int64]float64{x: 1.4, y: 8, w: 0.5}) || len(kit.PartKitItems) != 3 {
			t.Fatalf("another part's mBOM: %+v", kit.PartKitItems)
		}
		item := map[int64]int64{}
		for _, it := range kit.PartKitItems {
			item[it.PartID] = it.ID
		}

		issue := func(part int64, qty float64) {
			st := b.stock(t, map[string]any{"partId": part, "quantity": qty, "locationId": staging})
			s.gql(t, b.tok, `mutation($in: IssueItemToKitInput!) { issueItemToKit(input: $in) { partInventory { id } } }`,
				map[string]any{"in": map[string]any{"partInventoryId": st.ID, "etag": st.Etag, "partKitItemId": item[part]}}).must(t)
		}
		issue(x, 0.4)
		issue(y, 3)
		issue(y, 2)

		const split = `mutation($in: SplitUnfulfilledPartKitInput!) { splitUnfulfilledPartKit(input: $in) { partKit { ` + workKitFields + ` } newPartKit { ` + workKitFields + ` } } }`
		var parts struct{ PartKit, NewPartKit workKit }
		b.ok(t, "splitUnfulfilledPartKit", split, map[string]any{"in": map[string]any{"partKitId": kit.ID}}, &parts)
		kept, rest := parts.PartKit, parts.NewPartKit
		if kept.Status != "IN_PROGRESS" || !sameJSON(t, kept.quantities(), map[int64]float64{x: 0.4, y: 5}) {
			t.Fatalf("the split kit keeps %+v", kept)
		}
		if rest.Status != "DRAFT" || rest.Name != kit.Name || *rest.RunID != run.Run.ID || *rest.DeliveryLocationID != delivery ||
			!sameJSON(t, rest.quantities(), map[int64]float64{x: 1, y: 3, w: 0.5}) {
			t.Fatalf("the new kit: %+v", rest)
		}
		for _, it := range rest.PartKitItems {
			if it.PartID == w && it.ID != item[w] || len(it.PartInventories) != 0 {
				t.Fatalf("an item nothing was issued to moves whole, without inventory: %+v", it)
			}
		}
		wantInvalid(t, s.gql(t, b.tok, split, map[string]any{"in": map[string]any{"partKitId": kept.ID}}),
			fmt.Sprintf("PartKit partKitItems must have an unfulfilled quantity to split: every item of kit %d is fulfilled.", kept.ID))
		if got := b.workKit(t, kept.ID); !sameJSON(t, got, kept) {
			t.Fatalf("a refused split changed the kit:\n got %+v\nwant %+v", got, kept)
		}

		const move = "MoveKitInventoryToLocationInput"
		wantInvalid(t, b.kitRefused(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": rest.ID, "locationId": bench}),
			fmt.Sprintf("PartKit must have inventory issued to it to be moved: kit %d has none.", rest.ID))
		b.kitRefused(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": kept.ID, "locationId": 999999999}).
			wantError(t, http.StatusOK, http.StatusNotFound, "Location with id 999999999 not found.")
		b.kitRefused(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": kept.ID, "etag": rest.Etag, "locationId": bench}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if got := b.workKit(t, kept.ID); !sameJSON(t, got, kept) {
			t.Fatalf("refused moves changed the kit or its inventory:\n got %+v\nwant %+v", got, kept)
		}

		units := func(k workKit) map[int64]string {
			out := map[int64]string{}
			for _, it := range k.PartKitItems {
				for _, inv := range it.PartInventories {
					if inv.LocationID == nil || inv.Status != "KITTED" {
						t.Fatalf("kit inventory reads %+v", inv)
					}
					out[inv.ID] = fmt.Sprintf("%s@%d", inv.Etag, *inv.LocationID)
				}
			}
			return out
		}
		before := units(kept)
		atBench := b.kitCall(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": kept.ID, "etag": kept.Etag, "locationId": bench})
		after := units(atBench)
		if atBench.Status != "IN_PROGRESS" || atBench.Etag == kept.Etag || len(after) != 3 {
			t.Fatalf("moved to a bench: %+v", atBench)
		}
		for id, was := range before {
			if now := after[id]; now == was || !strings.HasSuffix(now, fmt.Sprintf("@%d", bench)) {
				t.Fatalf("unit %d was %s, now %s: each unit moves with a new etag", id, was, now)
			}
		}
		delivered := b.kitCall(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": kept.ID, "locationId": delivery})
		if delivered.Status != "DELIVERED" || len(units(delivered)) != 3 {
			t.Fatalf("moved to the delivery location: %+v", delivered)
		}
		for _, it := range delivered.PartKitItems {
			for _, inv := range it.PartInventories {
				if *inv.LocationID != delivery {
					t.Fatalf("unit %d is at %d", inv.ID, *inv.LocationID)
				}
			}
		}

		var done struct{ PartKit workKit }
		b.ok(t, "updatePartKit", `mutation($in: UpdatePartKitInput!) { updatePartKit(input: $in) { partKit { `+workKitFields+` } } }`,
			map[string]any{"in": map[string]any{"id": kept.ID, "etag": delivered.Etag, "status": "COMPLETED"}}, &done)
		wantInvalid(t, b.kitRefused(t, "moveKitInventoryToLocation", move, map[string]any{"partKitId": kept.ID, "locationId": bench}),
			fmt.Sprintf("PartKit status must be open (not COMPLETED or CANCELED) for the kit to be moved: kit %d is COMPLETED.", kept.ID))
		wantInvalid(t, s.gql(t, b.tok, split, map[string]any{"in": map[string]any{"partKitId": kept.ID}}),
			fmt.Sprintf("PartKit status must be open (not COMPLETED or CANCELED) for the kit to be split: kit %d is COMPLETED.", kept.ID))
		if got := b.workKit(t, kept.ID); !sameJSON(t, got, done.PartKit) {
			t.Fatalf("refusals changed a completed kit:\n got %+v\nwant %+v", got, done.PartKit)
		}
		s.gql(t, s.token(t, 0, "Read-only"), `mutation($in: SplitUnfulfilledPartKitInput!) { splitUnfulfilledPartKit(input: $in) { partKit { id } } }`,
			map[string]any{"in": map[string]any{"partKitId": rest.ID}}).
			wantError(t, http.StatusOK, http.StatusForbidden, "User does not have permission to perform UPDATE on Part Kit.")
	})
}
