package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// requirementState is a build requirement as the aBOM tests read it.
type requirementState struct {
	ID                             int64
	PartID                         int64
	Quantity                       float64
	QuantityPerParentPartInventory float64
	OriginMbomItemID               *int64
	AbomInstallations              []installationState
	Installations                  []installationState
}

type installationState struct {
	ID                     int64
	Etag                   string `json:"_etag"`
	Quantity               float64
	PartInventoryID        int64
	PartInventory          struct{ ID int64 }
	InstalledPartInventory struct{ ID int64 }
}

// unitState is a unit with its aBOM, as abomRead reads it.
type unitState struct {
	ID                  int64
	Etag                string `json:"_etag"`
	Status              string
	Installed           bool
	ParentPartInventory *struct{ ID int64 }
	BuildRequirements   []requirementState
}

const installationFields = `id _etag quantity partInventoryId partInventory { id } installedPartInventory { id }`

const abomRead = `query($id: ID!) { partInventory(id: $id) { id _etag status installed parentPartInventory { id }
	buildRequirements { id partId quantity quantityPerParentPartInventory originMbomItemId
		abomInstallations { ` + installationFields + ` } installations { ` + installationFields + ` } } } }`

func (b buyer) unit(tb testing.TB, id int64) unitState {
	tb.Helper()
	var u unitState
	b.ok(tb, "partInventory", abomRead, map[string]any{"id": id}, &u)
	return u
}

// serial makes a serial unit of part.
func (b buyer) serial(tb testing.TB, part int64) stock {
	tb.Helper()
	return b.stock(tb, map[string]any{"partId": part, "quantity": 1, "serialNumber": unique("SN")})
}

func (b buyer) requirement(tb testing.TB, unit, part int64, qty any) int64 {
	tb.Helper()
	var out struct{ BuildRequirement struct{ ID int64 } }
	b.ok(tb, "createBuildRequirement", `mutation($in: CreateBuildRequirementInput!) { createBuildRequirement(input: $in) { buildRequirement { id } } }`,
		map[string]any{"in": map[string]any{"partId": part, "partInventoryId": unit, "quantityPerParentPartInventory": qty}}, &out)
	return out.BuildRequirement.ID
}

func (b buyer) install(tb testing.TB, req, unit int64, qty any) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($in: CreateABomInstallationInput!) { createAbomInstallation(input: $in) { abomInstallation { `+installationFields+` } } }`,
		map[string]any{"in": map[string]any{"buildRequirementId": req, "partInventoryId": unit, "quantity": qty}})
}

func (b buyer) mustInstall(tb testing.TB, req, unit int64, qty any) installationState {
	tb.Helper()
	var out struct{ AbomInstallation installationState }
	b.install(tb, req, unit, qty).must(tb).field(tb, "createAbomInstallation", &out)
	return out.AbomInstallation
}

const uninstall = `mutation($id: ID!, $e: String!) { deleteAbomInstallation(id: $id, etag: $e) { id } }`

// abomItemRef is a legacy aBOM item as createAbomForPartInventory returns it.
type abomItemRef struct {
	ID              int64
	PartInventoryID *int64
	Children        []struct {
		ID              int64
		PartInventoryID *int64
	}
}

func (b buyer) createABom(tb testing.TB, unit stock) abomItemRef {
	tb.Helper()
	var out struct{ AbomItem abomItemRef }
	b.ok(tb, "createAbomForPartInventory", `mutation($id: ID!, $e: String!) { createAbomForPartInventory(id: $id, etag: $e) { abomItem { id partInventoryId children { id partInventoryId } } } }`,
		map[string]any{"id": unit.ID, "e": unit.Etag}, &out)
	return out.AbomItem
}

// An assembly of a serial sub-assembly (part sub) and 3 of a lot part
// (lot, with the substitute alt), snapshotted from its mBOM.
type assembly struct {
	top, sub, lot, alt, other int64
	unit                      stock
	subReq, lotReq            int64
	lotItem                   int64
}

func newAssembly(t *testing.T, b buyer) assembly {
	t.Helper()
	a := assembly{top: b.part(t, "SERIAL"), sub: b.part(t, "SERIAL"), lot: b.part(t, "LOT"), alt: b.part(t, "LOT"), other: b.part(t, "")}
	subItem := mustMBomItem(t, b, a.top, a.sub, 1)
	lotItem := mustMBomItem(t, b, a.top, a.lot, 3)
	a.lotItem = lotItem.ID
	b.ok(t, "createMbomSubstitute", `mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
		map[string]any{"i": lotItem.ID, "p": a.alt}, &struct{}{})
	a.unit = b.serial(t, a.top)
	root := b.createABom(t, a.unit)
	if root.PartInventoryID == nil || *root.PartInventoryID != a.unit.ID || len(root.Children) != 2 {
		t.Fatalf("createAbomForPartInventory: %+v", root)
	}
	reqs := b.unit(t, a.unit.ID).BuildRequirements
	if len(reqs) != 2 || reqs[0].PartID != a.sub || *reqs[0].OriginMbomItemID != subItem.ID || reqs[1].PartID != a.lot || reqs[1].Quantity != 3 {
		t.Fatalf("snapshotted requirements: %+v", reqs)
	}
	a.subReq, a.lotReq = reqs[0].ID, reqs[1].ID
	return a
}

// Installation rules over HTTP: each refusal's exact 422, after which the
// as-built tree and the units read as before; a unit fully installed reads
// INSTALLED with its parent, and uninstalling makes it AVAILABLE again.
func TestABomInstallationRules(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a := newAssembly(t, b)
		sub := b.serial(t, a.sub)
		installed := b.mustInstall(t, a.subReq, sub.ID, 1)
		if installed.PartInventory.ID != sub.ID || installed.InstalledPartInventory.ID != sub.ID || installed.PartInventoryID != sub.ID {
			t.Fatalf("installation: %+v", installed)
		}
		got := b.unit(t, sub.ID)
		if got.Status != "INSTALLED" || !got.Installed || got.ParentPartInventory == nil || got.ParentPartInventory.ID != a.unit.ID || got.Etag != sub.Etag {
			t.Fatalf("installed unit: %+v", got)
		}

		lot := b.stock(t, map[string]any{"partId": a.lot, "quantity": 5, "lotNumber": unique("LOT")})
		alt := b.stock(t, map[string]any{"partId": a.alt, "quantity": 1, "lotNumber": unique("LOT")})
		b.mustInstall(t, a.lotReq, lot.ID, 2)
		b.mustInstall(t, a.lotReq, alt.ID, 1) // a substitute of the requirement's mBOM item
		secondSub := b.requirement(t, a.unit.ID, a.sub, 1)
		moreLot := b.requirement(t, a.unit.ID, a.lot, 5)
		underSub := b.requirement(t, sub.ID, a.top, 1)
		own := b.requirement(t, a.unit.ID, a.top, 1)
		other := b.stock(t, map[string]any{"partId": a.other, "quantity": 1})
		before := b.unit(t, a.unit.ID)

		for _, tc := range []struct {
			name      string
			req, unit int64
			qty       any
			message   string
		}{
			{"zero quantity", moreLot, lot.ID, 0, "ABomInstallation quantity must be greater than 0."},
			{"negative quantity", moreLot, lot.ID, "-1", "ABomInstallation quantity must be greater than 0."},
			{"another part", moreLot, other.ID, 1, fmt.Sprintf("ABomInstallation partInventoryId must be a unit of the build requirement's part (%d) or of a substitute of its mBOM item.", a.lot)},
			{"serial twice", secondSub, sub.ID, 1, fmt.Sprintf("ABomInstallation partInventoryId %d is already installed: a serial unit installs once.", sub.ID)},
			{"beyond the requirement", a.lotReq, lot.ID, 1, fmt.Sprintf("ABomInstallation quantity must be at most 0, what build requirement %d still needs.", a.lotReq)},
			{"beyond the unit", moreLot, lot.ID, 4, fmt.Sprintf("ABomInstallation quantity must be at most 3, what of unit %d is not installed yet.", lot.ID)},
			{"into itself", own, a.unit.ID, 1, fmt.Sprintf("ABomInstallation partInventoryId %d would make a cycle: a unit cannot be installed into itself or a unit under it.", a.unit.ID)},
			{"under itself", underSub, a.unit.ID, 1, fmt.Sprintf("ABomInstallation partInventoryId %d would make a cycle: a unit cannot be installed into itself or a unit under it.", a.unit.ID)},
		} {
			wantInvalid(t, b.install(t, tc.req, tc.unit, tc.qty), tc.message)
		}
		b.install(t, 0, lot.ID, 1).wantError(t, http.StatusOK, http.StatusNotFound, "BuildRequirement with id 0 not found.")
		if after := b.unit(t, a.unit.ID); !sameJSON(t, before, after) {
			t.Fatalf("refusals changed the tree:\n%+v\n%+v", before, after)
		}
		if got := b.unit(t, lot.ID); got.Status != "AVAILABLE" || got.Installed || got.ParentPartInventory.ID != a.unit.ID {
			t.Fatalf("a partly installed lot: %+v", got)
		}
		var one struct{ ID int64 }
		b.ok(t, "abomInstallation", `query($r: ID!, $u: ID!) { abomInstallation(buildRequirementId: $r, partInventoryId: $u) { id } }`,
			map[string]any{"r": a.subReq, "u": sub.ID}, &one)
		if one.ID != installed.ID {
			t.Fatalf("abomInstallation: %+v", one)
		}
		var list struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		b.ok(t, "buildRequirements", `query($u: ID) { buildRequirements(filters: {partInventoryId: {eq: $u}}) { edges { node { id } } } }`,
			map[string]any{"u": a.unit.ID}, &list)
		if len(list.Edges) != 5 {
			t.Fatalf("buildRequirements of the unit: %+v", list)
		}

		// Uninstalling: a stale etag is a 409; then the unit is AVAILABLE.
		b.s.gql(t, b.tok, uninstall, map[string]any{"id": installed.ID, "e": "0123456789abcdef0123456789abcdef"}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		b.ok(t, "deleteAbomInstallation", uninstall, map[string]any{"id": installed.ID, "e": installed.Etag}, &struct{}{})
		if got := b.unit(t, sub.ID); got.Status != "AVAILABLE" || got.Installed || got.ParentPartInventory != nil {
			t.Fatalf("uninstalled unit: %+v", got)
		}
		b.mustInstall(t, secondSub, sub.ID, 1) // installs again elsewhere
	})
}

// Of concurrent installations of one serial unit, on requirements of their
// own, exactly one succeeds; the others are the serial rule's 422.
func TestABomSerialInstallsOnceUnderConcurrency(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		top, part := b.part(t, "SERIAL"), b.part(t, "SERIAL")
		assy, unit := b.serial(t, top), b.serial(t, part)
		const n = 6
		reqs := make([]int64, n)
		for i := range reqs {
			reqs[i] = b.requirement(t, assy.ID, part, 1)
		}
		results := make([]gqlResponse, n)
		var wg sync.WaitGroup
		for i := range reqs {
			wg.Go(func() { results[i] = b.install(t, reqs[i], unit.ID, 1) })
		}
		wg.Wait()
		ok := 0
		for _, r := range results {
			if len(r.Errors) == 0 {
				ok++
				continue
			}
			wantInvalid(t, r, fmt.Sprintf("ABomInstallation partInventoryId %d is already installed: a serial unit installs once.", unit.ID))
		}
		installations := 0
		for _, req := range b.unit(t, assy.ID).BuildRequirements {
			installations += len(req.AbomInstallations)
		}
		if ok != 1 || installations != 1 {
			t.Fatalf("%d installations succeeded, %d recorded; want 1", ok, installations)
		}
	})
}

// An mBOM item a build requirement originates from cannot be deleted, nor
// a unit that is installed or has units installed on it.
func TestABomDeleteGuards(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a := newAssembly(t, b)
		var item struct {
			Etag string `json:"_etag"`
		}
		b.ok(t, "mbomItem", `query($id: ID!) { mbomItem(id: $id) { _etag } }`, map[string]any{"id": a.lotItem}, &item)
		deleteItem := `mutation($id: ID!, $e: String!) { deleteMbomItem(id: $id, etag: $e) { id } }`
		wantInvalid(t, b.s.gql(t, b.tok, deleteItem, map[string]any{"id": a.lotItem, "e": item.Etag}),
			"MBomItem cannot be deleted while build requirements originate from it.")
		if got := mbomOf(t, b, a.top); len(got) != 2 {
			t.Fatalf("a refused delete changed the mBOM: %+v", got)
		}

		sub := b.serial(t, a.sub)
		b.mustInstall(t, a.subReq, sub.ID, 1)
		deleteUnit := `mutation($id: ID!, $e: String!) { deletePartInventory(id: $id, etag: $e) { id } }`
		for _, u := range []stock{sub, a.unit} {
			wantInvalid(t, b.s.gql(t, b.tok, deleteUnit, map[string]any{"id": u.ID, "e": u.Etag}),
				"PartInventory cannot be deleted while it is installed or units are installed on it.")
			if got := b.unit(t, u.ID); got.ID != u.ID || got.Etag != u.Etag {
				t.Fatalf("a refused delete changed unit %d: %+v", u.ID, got)
			}
		}
	})
}

// The legacy aBOM items read the same tree: the unit's own item with a slot
// per requirement, a slot filled by the unit installed on it; updateAbomItem
// changes a slot's quantity and no unit's etag.
func TestABomLegacyItems(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a := newAssembly(t, b)
		sub := b.serial(t, a.sub)
		b.mustInstall(t, a.subReq, sub.ID, 1)
		type item struct {
			ID              int64
			Etag            string `json:"_etag"`
			Quantity        float64
			PartInventoryID *int64
			Parent          *struct{ ID int64 }
			OriginMbomItem  *struct{ ID int64 }
			Children        []struct {
				ID              int64
				PartInventoryID *int64
				Children        []struct{ ID int64 }
			}
		}
		var unit struct {
			Etag         string `json:"_etag"`
			AbomItems    []item
			AbomChildren []struct {
				ID              int64
				PartInventoryID *int64
			}
		}
		read := `query($id: ID!) { partInventory(id: $id) { _etag abomItems { id _etag quantity partInventoryId parent { id } originMbomItem { id }
			children { id partInventoryId children { id } } } abomChildren { id partInventoryId } } }`
		b.ok(t, "partInventory", read, map[string]any{"id": a.unit.ID}, &unit)
		if unit.Etag != a.unit.Etag || len(unit.AbomItems) != 1 || unit.AbomItems[0].Parent != nil || len(unit.AbomItems[0].Children) != 2 || len(unit.AbomChildren) != 2 {
			t.Fatalf("the unit's aBOM: %+v", unit)
		}
		root := unit.AbomItems[0]
		slot := root.Children[0]
		if slot.PartInventoryID == nil || *slot.PartInventoryID != sub.ID || root.Children[1].PartInventoryID != nil {
			t.Fatalf("slots: %+v", root.Children)
		}
		var subItems struct{ AbomItems []item }
		b.ok(t, "partInventory", read, map[string]any{"id": sub.ID}, &subItems)
		if len(subItems.AbomItems) != 1 || subItems.AbomItems[0].ID != slot.ID || subItems.AbomItems[0].Parent.ID != root.ID {
			t.Fatalf("the installed unit's items: %+v", subItems)
		}
		var children struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		b.ok(t, "abomItems", `query($p: ID) { abomItems(filters: {parentId: {eq: $p}}) { edges { node { id } } } }`, map[string]any{"p": root.ID}, &children)
		if len(children.Edges) != 2 {
			t.Fatalf("abomItems under the root: %+v", children)
		}

		lotSlot := root.Children[1].ID
		var one item
		b.ok(t, "abomItem", `query($id: ID!) { abomItem(id: $id) { id _etag quantity parent { id } } }`, map[string]any{"id": lotSlot}, &one)
		update := `mutation($in: UpdateABomItemInput!) { updateAbomItem(input: $in) { abomItem { _etag id quantity } } }`
		wantInvalid(t, b.s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": lotSlot, "etag": one.Etag, "quantity": 0}}),
			"ABomItem quantity must be greater than 0.")
		wantInvalid(t, b.s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": root.ID, "etag": root.Etag, "quantity": 2}}),
			"ABomItem quantity cannot be changed on a unit's own item: it is the unit's quantity.")
		var updated struct{ AbomItem item }
		b.ok(t, "updateAbomItem", update, map[string]any{"in": map[string]any{"id": lotSlot, "etag": one.Etag, "quantity": "4.5"}}, &updated)
		if updated.AbomItem.Quantity != 4.5 || updated.AbomItem.Etag == one.Etag {
			t.Fatalf("updated: %+v", updated)
		}
		b.s.gql(t, b.tok, update, map[string]any{"in": map[string]any{"id": lotSlot, "etag": one.Etag, "quantity": 2}}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		if got := b.unit(t, a.unit.ID); got.Etag != a.unit.Etag || got.BuildRequirements[1].QuantityPerParentPartInventory != 4.5 {
			t.Fatalf("after updateAbomItem: %+v", got)
		}
		// Taken again, the snapshot is the same.
		if again := b.createABom(t, a.unit); again.ID != root.ID || len(again.Children) != 2 {
			t.Fatalf("a second createAbomForPartInventory: %+v", again)
		}
	})
}
