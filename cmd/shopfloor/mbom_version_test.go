package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
)

// mbomRef is an mBOM version as the tests read it.
type mbomRef struct {
	ID      int64  `json:"id"`
	Etag    string `json:"_etag"`
	PartID  int64  `json:"partId"`
	Version int    `json:"version"`
	Status  string `json:"status"`
	Items   []mbomItemRef
	Reviews []struct {
		ApproverID int64 `json:"approverId"`
	}
}

const mbomSelection = `id _etag partId version status items { ` + mbomItemSelection + ` } reviews { approverId }`

func (b buyer) mbom(tb testing.TB, id int64) mbomRef {
	tb.Helper()
	var v mbomRef
	b.ok(tb, "mbom", `query($id: ID!) { mbom(id: $id) { `+mbomSelection+` } }`, map[string]any{"id": id}, &v)
	return v
}

// versionsOf reads a part's mBOM versions, oldest first.
func (b buyer) versionsOf(tb testing.TB, part int64) []mbomRef {
	tb.Helper()
	var conn struct{ Edges []struct{ Node mbomRef } }
	b.ok(tb, "mboms", `query($p: ID) { mboms(filters: {partId: {eq: $p}}, sort: [VERSION_ASC], first: 20) { edges { node { `+mbomSelection+` } } } }`,
		map[string]any{"p": part}, &conn)
	out := make([]mbomRef, len(conn.Edges))
	for i, e := range conn.Edges {
		out[i] = e.Node
	}
	return out
}

func (b buyer) setMBomStatus(tb testing.TB, v mbomRef, status string) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($id: ID!, $e: String, $s: Mbomstatusenum!) { updateMbom(input: {id: $id, etag: $e, status: $s}) { mbom { `+mbomSelection+` } } }`,
		map[string]any{"id": v.ID, "e": v.Etag, "s": status})
}

func (b buyer) mustMBomStatus(tb testing.TB, v mbomRef, status string) mbomRef {
	tb.Helper()
	var out struct{ Mbom mbomRef }
	b.setMBomStatus(tb, v, status).must(tb).field(tb, "updateMbom", &out)
	return out.Mbom
}

func (b buyer) createMBom(tb testing.TB, part int64) gqlResponse {
	tb.Helper()
	return b.s.gql(tb, b.tok, `mutation($p: ID!) { createMbom(input: {partId: $p}) { mbom { `+mbomSelection+` } } }`, map[string]any{"p": part})
}

func (b buyer) reviewMBom(tb testing.TB, id int64) {
	tb.Helper()
	b.ok(tb, "createMbomReview", `mutation($id: ID!) { createMbomReview(input: {mbomId: $id, comment: "Checked."}) { review { id mbomId roleIds } } }`,
		map[string]any{"id": id}, &struct{}{})
}

// release reviews a version in review as the caller (the demo requires
// one Admin's approval) and releases it.
func (b buyer) release(tb testing.TB, v mbomRef) mbomRef {
	tb.Helper()
	b.reviewMBom(tb, v.ID)
	return b.mustMBomStatus(tb, b.mbom(tb, v.ID), shopfloor.MBomReleased)
}

// An assembly's mBOM goes through its versions over HTTP: items join the
// draft; a version in review refuses every edit (changing nothing) and is
// released only through the approval gate (the demo's one Admin); the next
// version is a draft copy, items, substitutes and reference designators;
// releasing it archives the previous one, and Part.mbom and mbomItems read
// the released version's items throughout.
func TestMBomVersions(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a, p1, p2, sub := newPart(t, b, unique("VASSY")), newPart(t, b, unique("VP")), newPart(t, b, unique("VP")), newPart(t, b, unique("VSUB"))
		item := mustMBomItem(t, b, a, p1, 2)
		b.ok(t, "createMbomSubstitute", `mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
			map[string]any{"i": item.ID, "p": sub}, &struct{}{})
		b.ok(t, "createMbomItemReferenceDesignator", `mutation($i: ID!) { createMbomItemReferenceDesignator(input: {mbomItemId: $i, value: "J1"}) { mbomItemReferenceDesignator { id } } }`,
			map[string]any{"i": item.ID}, &struct{}{})
		versions := b.versionsOf(t, a)
		if len(versions) != 1 || versions[0].Version != 1 || versions[0].Status != "DRAFT" || len(versions[0].Items) != 1 || versions[0].Items[0].ID != item.ID {
			t.Fatalf("versions after the first item: %+v", versions)
		}
		v1 := versions[0]
		wantInvalid(t, b.createMBom(t, a), fmt.Sprintf("MBom partId %d already has an open version (mBOM %d, DRAFT); release it or return it to DRAFT.", a, v1.ID))
		wantInvalid(t, b.setMBomStatus(t, v1, "RELEASED"), "MBom status cannot change from DRAFT to RELEASED; allowed from DRAFT: IN_REVIEW.")

		v1 = b.mustMBomStatus(t, v1, "IN_REVIEW")
		before := mbomOf(t, b, a)
		for _, refused := range []struct {
			query string
			vars  map[string]any
			msg   string
		}{
			{`mutation($id: ID!, $e: String) { updateMbomItem(input: {id: $id, etag: $e, quantity: 5}) { mbomItem { id } } }`,
				map[string]any{"id": before[0].ID, "e": before[0].Etag}, fmt.Sprintf("MBomItem id %d: mBOM %d is IN_REVIEW; only a DRAFT mBOM can be edited.", item.ID, v1.ID)},
			{`mutation($id: ID!, $e: String) { deleteMbomItem(id: $id, etag: $e) { id } }`,
				map[string]any{"id": before[0].ID, "e": before[0].Etag}, fmt.Sprintf("MBomItem id %d: mBOM %d is IN_REVIEW; only a DRAFT mBOM can be edited.", item.ID, v1.ID)},
			{`mutation($a: ID!, $p: ID!) { createMbomItem(input: {parentId: $a, partId: $p}) { mbomItem { id } } }`,
				map[string]any{"a": a, "p": p2}, fmt.Sprintf("MBomItem parentId %d: mBOM %d is IN_REVIEW; only a DRAFT mBOM can be edited.", a, v1.ID)},
			{`mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
				map[string]any{"i": item.ID, "p": p2}, fmt.Sprintf("MBomSubstitute mbomItemId %d: mBOM %d is IN_REVIEW; only a DRAFT mBOM can be edited.", item.ID, v1.ID)},
			{`mutation($i: ID!) { createMbomItemReferenceDesignator(input: {mbomItemId: $i, value: "J2"}) { mbomItemReferenceDesignator { id } } }`,
				map[string]any{"i": item.ID}, fmt.Sprintf("MBomItemReferenceDesignator mbomItemId %d: mBOM %d is IN_REVIEW; only a DRAFT mBOM can be edited.", item.ID, v1.ID)},
		} {
			wantInvalid(t, b.s.gql(t, b.tok, refused.query, refused.vars), refused.msg)
		}
		if after := mbomOf(t, b, a); !sameJSON(t, after, before) {
			t.Fatalf("refused edits changed the mBOM: %+v -> %+v", before, after)
		}

		// The gate: 403 without the Admin's approval, unchanged; then released.
		b.setMBomStatus(t, v1, "RELEASED").wantError(t, http.StatusOK, http.StatusForbidden,
			fmt.Sprintf("Approval gate not satisfied: releasing mBOM %d still needs 1 of 1 approvals from role 'Admin'.", v1.ID))
		if got := b.mbom(t, v1.ID); got.Status != "IN_REVIEW" || got.Etag != v1.Etag {
			t.Fatalf("a refused release changed the version: %+v", got)
		}
		b.s.gql(t, b.tok, `mutation($id: ID!) { updateMbom(input: {id: $id, etag: "stale", status: IN_REVIEW}) { mbom { id } } }`, map[string]any{"id": v1.ID}).
			wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		v1 = b.release(t, v1)
		if v1.Status != "RELEASED" || len(v1.Reviews) != 1 {
			t.Fatalf("released: %+v", v1)
		}

		// The next version: a draft copy; Part.mbom stays the released one.
		var created struct{ Mbom mbomRef }
		b.createMBom(t, a).must(t).field(t, "createMbom", &created)
		v2 := created.Mbom
		if v2.Version != 2 || v2.Status != "DRAFT" || len(v2.Items) != 1 {
			t.Fatalf("next version: %+v", v2)
		}
		copied := v2.Items[0]
		if copied.ID == item.ID || copied.PartID != p1 || copied.Quantity != 2 || len(copied.Substitutes) != 1 || copied.Substitutes[0].PartID != sub ||
			len(copied.ReferenceDesignators) != 1 || copied.ReferenceDesignators[0].Value != "J1" {
			t.Fatalf("copied item: %+v", copied)
		}
		b.ok(t, "updateMbomItem", `mutation($id: ID!, $e: String) { updateMbomItem(input: {id: $id, etag: $e, quantity: 3}) { mbomItem { id } } }`,
			map[string]any{"id": copied.ID, "e": copied.Etag}, &struct{}{})
		added := mustMBomItem(t, b, a, p2, 1) // joins the draft
		if got := mbomOf(t, b, a); !sameJSON(t, got, before) {
			t.Fatalf("Part.mbom while version 2 is a draft: %+v", got)
		}
		v2 = b.release(t, b.mustMBomStatus(t, b.mbom(t, v2.ID), "IN_REVIEW"))
		if got := b.mbom(t, v1.ID); got.Status != "ARCHIVED" {
			t.Fatalf("the previous release after releasing version 2: %+v", got)
		}
		current := mbomOf(t, b, a)
		if len(current) != 2 || current[0].ID != copied.ID || current[0].Quantity != 3 || current[1].ID != added.ID {
			t.Fatalf("Part.mbom after releasing version 2: %+v", current)
		}
		var list struct{ Edges []struct{ Node mbomItemRef } }
		b.ok(t, "mbomItems", `query($p: ID) { mbomItems(filters: {parentId: {eq: $p}}) { edges { node { id } } } }`, map[string]any{"p": a}, &list)
		if len(list.Edges) != 2 || list.Edges[0].Node.ID != copied.ID {
			t.Fatalf("mbomItems of the assembly: %+v", list)
		}
		b.ok(t, "mbomItems", `query($v: ID) { mbomItems(filters: {mbomId: {eq: $v}}) { edges { node { id } } } }`, map[string]any{"v": v1.ID}, &list)
		if len(list.Edges) != 1 || list.Edges[0].Node.ID != item.ID {
			t.Fatalf("mbomItems of version 1: %+v", list)
		}

		// Back to draft withdraws the approvals: the gate applies again.
		b.createMBom(t, a).must(t).field(t, "createMbom", &created)
		v3 := b.mustMBomStatus(t, created.Mbom, "IN_REVIEW")
		b.reviewMBom(t, v3.ID)
		v3 = b.mustMBomStatus(t, b.mbom(t, v3.ID), "DRAFT")
		if len(v3.Reviews) != 0 {
			t.Fatalf("reviews after the return to draft: %+v", v3.Reviews)
		}
		v3 = b.mustMBomStatus(t, v3, "IN_REVIEW")
		b.setMBomStatus(t, v3, "RELEASED").wantError(t, http.StatusOK, http.StatusForbidden,
			fmt.Sprintf("Approval gate not satisfied: releasing mBOM %d still needs 1 of 1 approvals from role 'Admin'.", v3.ID))
		wantInvalid(t, b.s.gql(t, b.tok, `mutation($id: ID!) { createMbomReview(input: {mbomId: $id}) { review { id } } }`, map[string]any{"id": v2.ID}),
			"MBomReview mbomId must name a version IN_REVIEW; it is RELEASED.")
	})
}

// Concurrent writers cannot make two released versions of a part, nor two
// open ones: of racing releases of one version one wins and the others get
// the 409; of racing new versions one is made and the others are refused.
func TestMBomOneReleasedUnderConcurrency(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a := newPart(t, b, unique("CASSY"))
		mustMBomItem(t, b, a, newPart(t, b, unique("CP")), 1)
		v1 := b.mustMBomStatus(t, b.versionsOf(t, a)[0], "IN_REVIEW")
		b.reviewMBom(t, v1.ID)
		v1 = b.mbom(t, v1.ID)
		const racers = 4
		race := func(do func() gqlResponse) (ok int, refused []gqlResponse) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for range racers {
				wg.Go(func() {
					r := do()
					mu.Lock()
					defer mu.Unlock()
					if len(r.Errors) == 0 {
						ok++
					} else {
						refused = append(refused, r)
					}
				})
			}
			wg.Wait()
			return ok, refused
		}
		ok, refused := race(func() gqlResponse { return b.setMBomStatus(t, v1, "RELEASED") })
		if ok != 1 {
			t.Fatalf("%d of %d racing releases won", ok, racers)
		}
		for _, r := range refused {
			r.wantError(t, http.StatusOK, http.StatusConflict, "Concurrent modification detected — etag mismatch.")
		}
		ok, refused = race(func() gqlResponse { return b.createMBom(t, a) })
		if ok != 1 {
			t.Fatalf("%d of %d racing new versions were made", ok, racers)
		}
		versions := b.versionsOf(t, a)
		for _, r := range refused {
			wantInvalid(t, r, fmt.Sprintf("MBom partId %d already has an open version (mBOM %d, DRAFT); release it or return it to DRAFT.", a, versions[1].ID))
		}
		if len(versions) != 2 || versions[0].Status != "RELEASED" || versions[1].Status != "DRAFT" || len(versions[1].Items) != 1 {
			t.Fatalf("versions after the races: %+v", versions)
		}
	})
}

// A part used by a live mBOM item, as its assembly, its part or a
// substitute, is not deleted (a 422 naming the use), and stays.
func TestPartDeleteMBomGuard(t *testing.T) {
	eachEngine(t, 0, func(t *testing.T, b buyer) {
		a, p, sub := newPart(t, b, unique("GASSY")), newPart(t, b, unique("GP")), newPart(t, b, unique("GSUB"))
		item := mustMBomItem(t, b, a, p, 1)
		b.ok(t, "createMbomSubstitute", `mutation($i: ID!, $p: ID!) { createMbomSubstitute(input: {mbomItemId: $i, partId: $p}) { mbomSubstitute { id } } }`,
			map[string]any{"i": item.ID, "p": sub}, &struct{}{})
		for _, tc := range []struct {
			part int64
			msg  string
		}{
			{a, fmt.Sprintf("Part %d cannot be deleted: it is the assembly of mBOM item %d.", a, item.ID)},
			{p, fmt.Sprintf("Part %d cannot be deleted: it is the part of mBOM item %d.", p, item.ID)},
			{sub, fmt.Sprintf("Part %d cannot be deleted: it is a substitute in mBOM item %d.", sub, item.ID)},
		} {
			var part ref
			b.ok(t, "part", `query($id: ID!) { part(id: $id) { id _etag } }`, map[string]any{"id": tc.part}, &part)
			wantInvalid(t, b.s.gql(t, b.tok, `mutation($id: ID!, $e: String) { deletePart(id: $id, etag: $e) { id } }`, map[string]any{"id": tc.part, "e": part.Etag}), tc.msg)
			var after ref
			b.ok(t, "part", `query($id: ID!) { part(id: $id) { id _etag } }`, map[string]any{"id": tc.part}, &after)
			if after != part {
				t.Fatalf("a refused delete changed part %d: %+v", tc.part, after)
			}
		}
	})
}

// createMbomApprovalRole adds a required approval to mBOM releases: a
// version then needs an approver holding that role besides the Admin, and
// one who holds it releases it. (In the second demo organization, where no
// other test releases an mBOM.)
func TestMBomApprovalRole(t *testing.T) {
	eachEngine(t, 1, func(t *testing.T, b buyer) {
		org := b.s.Creds.Orgs[1]
		admin := b.s.demoUser(t, 1, shopfloor.RoleAdmin).Email
		role, email := unique("MBOM QE"), unique("mbomqe")+"@"+org.Domain
		b.s.operator(t, "role", "create", "--as", admin, "--name", role)
		b.s.operator(t, "role", "grant", "--as", admin, "--name", role, "--permission", "CreateReview")
		b.s.operator(t, "user", "create", "--org", org.Domain, "--email", email, "--role", role)
		var roles struct {
			Edges []struct{ Node struct{ ID int64 } }
		}
		b.ok(t, "roles", `query($n: String) { roles(filters: {name: {eq: $n}}) { edges { node { id } } } }`, map[string]any{"n": role}, &roles)
		var out struct {
			ApprovalRole struct {
				ID, RoleID int64
				Role       struct{ Name string }
				Count      int
				GateType   string
			}
		}
		b.ok(t, "createMbomApprovalRole", `mutation($r: ID!) { createMbomApprovalRole(input: {roleId: $r, count: 1, gateType: RELEASED}) { approvalRole { id roleId role { name } count gateType } } }`,
			map[string]any{"r": roles.Edges[0].Node.ID}, &out)
		if got := out.ApprovalRole; got.ID == 0 || got.RoleID != roles.Edges[0].Node.ID || got.Role.Name != role || got.Count != 1 || got.GateType != "RELEASED" {
			t.Fatalf("approval role: %+v", got)
		}
		var procedureRoles struct{ Edges []any }
		b.ok(t, "procedureApprovalRoles", `query($r: ID) { procedureApprovalRoles(filters: {roleId: {eq: $r}}) { edges { node { id } } } }`,
			map[string]any{"r": out.ApprovalRole.RoleID}, &procedureRoles)
		if len(procedureRoles.Edges) != 0 {
			t.Fatalf("an mBOM approval role is listed as a procedure's: %+v", procedureRoles)
		}

		a := newPart(t, b, unique("QASSY"))
		mustMBomItem(t, b, a, newPart(t, b, unique("QP")), 1)
		v := b.mustMBomStatus(t, b.versionsOf(t, a)[0], "IN_REVIEW")
		b.reviewMBom(t, v.ID)
		v = b.mbom(t, v.ID)
		b.setMBomStatus(t, v, "RELEASED").wantError(t, http.StatusOK, http.StatusForbidden,
			fmt.Sprintf("Approval gate not satisfied: releasing mBOM %d still needs 1 of 1 approvals from role '%s'.", v.ID, role))
		buyer{s: b.s, tok: b.s.userToken(t, email)}.reviewMBom(t, v.ID)
		if v = b.mustMBomStatus(t, v, "RELEASED"); v.Status != "RELEASED" || len(v.Reviews) != 2 {
			t.Fatalf("released: %+v", v)
		}
	})
}
