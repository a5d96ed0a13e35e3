package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines opens a fresh, empty store on each engine the store runs on.
var engines = []struct {
	name string
	open func(tb testing.TB) *sqlstore.Store
}{
	{"sqlite", func(tb testing.TB) *sqlstore.Store {
		return opened(tb)(sqlstore.OpenSQLite(context.Background(), tb.TempDir()))
	}},
	{"postgres", func(tb testing.TB) *sqlstore.Store {
		return opened(tb)(sqlstore.Open(context.Background(), pgtest.Database(tb)))
	}},
}

func opened(tb testing.TB) func(*sqlstore.Store, error) *sqlstore.Store {
	return func(s *sqlstore.Store, err error) *sqlstore.Store {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	}
}

// eachEngine runs fn as a subtest on every engine.
func eachEngine(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { fn(t, e.open(t)) })
	}
}

// asUser returns a context acting as a new user of a new organization.
func asUser(tb testing.TB, s *sqlstore.Store, domain, role string) context.Context {
	tb.Helper()
	ctx := context.Background()
	org, err := s.CreateOrganization(ctx, domain, domain)
	if err != nil {
		tb.Fatal(err)
	}
	u, err := s.CreateUser(ctx, org.ID, "someone@"+domain, "Someone", role)
	if err != nil {
		tb.Fatal(err)
	}
	id, err := s.Identity(ctx, u.ID, "")
	if err != nil {
		tb.Fatal(err)
	}
	return shopfloor.WithPrincipal(ctx, &id.Principal)
}

func ptr[T any](v T) *T { return &v }

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func wantCode(t *testing.T, err error, code shopfloor.Code, msg string) {
	t.Helper()
	if shopfloor.ErrorCode(err) != code || shopfloor.ErrorMessage(err) != msg {
		t.Fatalf("got %v (%s), want %s %q", err, shopfloor.ErrorCode(err), code, msg)
	}
}

func notFound(entity string, id int64) string {
	return entity + " with id " + strconv.FormatInt(id, 10) + " not found."
}

func TestPartLifecycle(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "b.example", shopfloor.RoleAdmin)

		p := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr(" BRKT-1 "), PartType: ptr("tool")}))
		if p.PartNumber != "BRKT-1" || p.Revision != "A" || p.PartType != "TOOL" || p.Status != "RELEASED" || len(p.Etag) != 32 || p.CreatedAt.IsZero() {
			t.Fatalf("created %+v", p)
		}
		_, err := s.Part(other, p.ID)
		wantCode(t, err, shopfloor.CodeNotFound, notFound("Part", p.ID))
		_, err = s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("BRKT-1")})
		wantCode(t, err, shopfloor.CodeInvalid, "Part with partNumber 'BRKT-1' and revision 'A' already exists.")
		// The same number is free in another org.
		must[*shopfloor.Part](t)(s.CreatePart(other, shopfloor.PartFields{PartNumber: ptr("BRKT-1")}))

		up := must[*shopfloor.Part](t)(s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr("Bracket")}))
		if up.Etag == p.Etag || *up.Description != "Bracket" || !up.UpdatedAt.After(p.UpdatedAt.Add(-1)) {
			t.Fatalf("updated %+v", up)
		}
		_, err = s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr("stale")})
		wantCode(t, err, shopfloor.CodeConflict, shopfloor.MsgEtagMismatch)
		_, err = s.UpdatePart(other, p.ID, up.Etag, shopfloor.PartFields{Description: ptr("foreign")})
		wantCode(t, err, shopfloor.CodeNotFound, notFound("Part", p.ID))

		st := must[*shopfloor.PartSubtype](t)(s.CreatePartSubtype(ctx, shopfloor.PartSubtypeFields{Name: ptr("Fastener")}))
		linked := must[*shopfloor.Part](t)(s.AddSubtypeToPart(ctx, p.ID, st.ID, ""))
		linked = must[*shopfloor.Part](t)(s.AddSubtypeToPart(ctx, p.ID, st.ID, linked.Etag)) // twice is once
		subs := must[map[int64][]shopfloor.PartSubtype](t)(s.SubtypesByPartIDs(ctx, []int64{p.ID}))
		if len(subs[p.ID]) != 1 || subs[p.ID][0].Name != "Fastener" {
			t.Fatalf("subtypes %+v", subs)
		}
		_, err = s.AddSubtypeToPart(other, p.ID, st.ID, "")
		wantCode(t, err, shopfloor.CodeNotFound, notFound("PartSubtype", st.ID))
		linked = must[*shopfloor.Part](t)(s.RemoveSubtypeFromPart(ctx, p.ID, st.ID, linked.Etag))

		if err := s.DeletePart(ctx, p.ID, linked.Etag); err != nil {
			t.Fatal(err)
		}
		_, err = s.Part(ctx, p.ID)
		wantCode(t, err, shopfloor.CodeNotFound, notFound("Part", p.ID))
		// A deleted part's number may be used again.
		must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("BRKT-1")}))
	})
}

func TestInventoryAndLocations(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		wh := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("WH"), LocationType: ptr("warehouse")}))
		shelf := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("S1"), ParentID: &wh.ID}))
		hold := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("Hold"), InventoryAvailable: ptr(false)}))
		_, err := s.UpdateLocation(ctx, wh.ID, wh.Etag, shopfloor.LocationFields{ParentID: &shelf.ID})
		wantCode(t, err, shopfloor.CodeInvalid, "Location parentId cannot be the location itself or one of its descendants.")

		serial := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("S"), TrackingType: ptr("SERIAL")}))
		lot := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("L"), TrackingType: ptr("LOT")}))
		a := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &serial.ID, SerialNumber: ptr("SN1"), LocationID: &shelf.ID, ExpirationDate: ptr("2030-06-01")}))
		if a.Status != "AVAILABLE" || a.Quantity != 1 || a.ExpirationDate == nil || a.ExpirationDate.Year() != 2030 {
			t.Fatalf("inventory %+v", a)
		}
		_, err = s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &serial.ID, SerialNumber: ptr("SN1")})
		wantCode(t, err, shopfloor.CodeInvalid, "PartInventory with serialNumber 'SN1' already exists for this part.")
		b := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &lot.ID, Quantity: ptr(40.5), LocationID: &hold.ID}))
		if b.Status != "UNAVAILABLE" || b.QuantityAvailable() != 0 {
			t.Fatalf("inventory on hold %+v", b)
		}
		_, err = s.UpdatePart(ctx, lot.ID, lot.Etag, shopfloor.PartFields{TrackingType: ptr("SERIAL")})
		wantCode(t, err, shopfloor.CodeInvalid, "Part trackingType cannot be SERIAL while its inventory is not serialized.")
		err = s.DeleteLocation(ctx, hold.ID, hold.Etag)
		wantCode(t, err, shopfloor.CodeInvalid, "Location cannot be deleted while it holds inventory or child locations.")

		byPart := must[map[int64][]shopfloor.PartInventory](t)(s.InventoriesByPartIDs(ctx, []int64{serial.ID, lot.ID, 999}))
		if len(byPart[serial.ID]) != 1 || len(byPart[lot.ID]) != 1 || len(byPart[999]) != 0 {
			t.Fatalf("by part %+v", byPart)
		}
		parts := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, shopfloor.ListOptions{Sort: []string{"PART_NUMBER_ASC"}}))
		if len(parts.Items) != 2 || parts.Items[0].PartNumber != "L" || parts.Items[0].Quantity != 40.5 {
			t.Fatalf("parts %+v", parts.Items)
		}
	})
}

func TestLists(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "b.example", shopfloor.RoleAdmin)
		for i := range 25 {
			f := shopfloor.PartFields{PartNumber: ptr(fmt.Sprintf("P-%02d", i)), Cost: ptr(float64(i % 5))}
			if i%2 == 0 {
				f.TrackingType = ptr("LOT")
			}
			must[*shopfloor.Part](t)(s.CreatePart(ctx, f))
			must[*shopfloor.Part](t)(s.CreatePart(other, shopfloor.PartFields{PartNumber: ptr(fmt.Sprintf("P-%02d", i))}))
		}
		for _, tc := range []struct {
			name    string
			opts    shopfloor.ListOptions
			total   int
			numbers []string
		}{
			{"first", shopfloor.ListOptions{First: ptr(3)}, 25, []string{"P-00", "P-01", "P-02"}},
			{"after", shopfloor.ListOptions{First: ptr(2), After: ptr(shopfloor.EncodeCursor(22))}, 25, []string{"P-23", "P-24"}},
			{"last", shopfloor.ListOptions{Last: ptr(2)}, 25, []string{"P-23", "P-24"}},
			{"last before", shopfloor.ListOptions{Last: ptr(2), Before: ptr(shopfloor.EncodeCursor(3))}, 25, []string{"P-01", "P-02"}},
			{"past the end", shopfloor.ListOptions{First: ptr(2), After: ptr(shopfloor.EncodeCursor(40))}, 25, nil},
			{"ilike", shopfloor.ListOptions{Filters: map[string]any{"partNumber": map[string]any{"ilike": "p-1%"}}}, 10, nil},
			{"in and eq", shopfloor.ListOptions{Filters: map[string]any{"id": map[string]any{"in": []any{"1", int64(3), 5, 999}}, "trackingType": map[string]any{"eq": "lot"}}}, 2, nil},
			{"neq and null", shopfloor.ListOptions{Filters: map[string]any{"trackingType": map[string]any{"eq": nil}, "cost": map[string]any{"neq": 0.0}}}, 10, nil},
			{"sort desc", shopfloor.ListOptions{Sort: []string{"COST_DESC", "PART_NUMBER_DESC"}, First: ptr(2)}, 25, []string{"P-24", "P-19"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, tc.opts))
				if page.TotalCount != tc.total {
					t.Errorf("total %d, want %d", page.TotalCount, tc.total)
				}
				if tc.numbers != nil || tc.name == "past the end" {
					var got []string
					for _, p := range page.Items {
						got = append(got, p.PartNumber)
					}
					if fmt.Sprint(got) != fmt.Sprint(tc.numbers) {
						t.Errorf("got %v, want %v", got, tc.numbers)
					}
				}
			})
		}
		_, err := s.Parts(ctx, shopfloor.ListOptions{Sort: []string{"NOPE_ASC"}})
		wantCode(t, err, shopfloor.CodeInvalid, "Part sort NOPE_ASC is not supported.")
	})
}

// Writers racing on one row through the store: each attempt lands or is a
// 409, and no update is lost.
func TestConcurrentEtagWriters(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		part := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("C")}))
		inv := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &part.ID}))
		const writers, attempts = 8, 25
		var mu sync.Mutex
		var ok, conflicts int
		var wg sync.WaitGroup
		for range writers {
			wg.Go(func() {
				for range attempts {
					cur, err := s.PartInventory(ctx, inv.ID)
					if err != nil {
						t.Error(err)
						return
					}
					_, err = s.UpdatePartInventory(ctx, inv.ID, cur.Etag, shopfloor.PartInventoryFields{Quantity: ptr(cur.Quantity + 1)})
					mu.Lock()
					switch shopfloor.ErrorCode(err) {
					case shopfloor.CodeConflict:
						conflicts++
					default:
						if err != nil {
							t.Error(err)
						} else {
							ok++
						}
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		final := must[*shopfloor.PartInventory](t)(s.PartInventory(ctx, inv.ID))
		t.Logf("%d successes, %d conflicts", ok, conflicts)
		if ok+conflicts != writers*attempts || final.Quantity != float64(1+ok) {
			t.Fatalf("successes %d + conflicts %d of %d; final quantity %v", ok, conflicts, writers*attempts, final.Quantity)
		}
	})
}

// orgWithKey makes the organization Acme, its admin (email) and an API key
// the admin made.
func orgWithKey(t *testing.T, s *sqlstore.Store, email string) (*shopfloor.Organization, *shopfloor.User, *shopfloor.NewAPIKey) {
	t.Helper()
	ctx := context.Background()
	org := must[*shopfloor.Organization](t)(s.CreateOrganization(ctx, "Acme", "acme.example"))
	admin := must[*shopfloor.User](t)(s.CreateUser(ctx, org.ID, email, "Admin", shopfloor.RoleAdmin))
	return org, admin, must[*shopfloor.NewAPIKey](t)(s.CreateAPIKey(ctx, org.ID, admin.ID))
}

func TestIdentity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		org, admin, key := orgWithKey(t, s, "a@acme.example")
		viewer := must[*shopfloor.User](t)(s.CreateUser(ctx, org.ID, "v@acme.example", "V", shopfloor.RoleReadOnly))
		stored := must[*shopfloor.APIKey](t)(s.APIKeyByClientID(ctx, key.ClientID))
		if stored.SecretHash != shopfloor.HashSecret(key.ClientSecret) || stored.SecretHash == key.ClientSecret || !stored.Enabled ||
			stored.CreatedByID != admin.ID || stored.UserID == admin.ID || stored.CreatorEmail != admin.Email || !stored.CreatorActive {
			t.Fatalf("stored key %+v", stored)
		}
		id := must[*shopfloor.Identity](t)(s.Identity(ctx, stored.UserID, key.ClientID))
		if !id.KeyEnabled || id.Deactivated || id.Kind != shopfloor.UserService || id.OrgState != shopfloor.OrgActive ||
			len(id.Permissions) != len(shopfloor.AllPermissions()) || !id.Features[shopfloor.FeatureAPIKeys] {
			t.Fatalf("admin key identity: %+v (%d permissions)", id, len(id.Permissions))
		}
		vid := must[*shopfloor.Identity](t)(s.Identity(ctx, viewer.ID, ""))
		if len(vid.Permissions) != 0 {
			t.Fatalf("Read-only has permissions %v", vid.Permissions)
		}
		_, err := s.CreateAPIKey(ctx, org.ID+1, admin.ID)
		if err == nil {
			t.Fatal("made a key for a user of another org")
		}
		if has := must[bool](t)(s.HasOrganizations(ctx)); !has {
			t.Fatal("HasOrganizations false")
		}
	})
}

// SQLite's synchronous setting applies to the writer and to the readers.
func TestSQLiteSynchronous(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		sync sqlstore.Synchronous
		want int // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{{sqlstore.SyncNormal, 1}, {sqlstore.SyncFull, 2}} {
		s := opened(t)(sqlstore.OpenSQLiteSynchronous(context.Background(), t.TempDir(), c.sync))
		for name, db := range map[string]*sql.DB{"writer": s.DB(), "reader": s.ReadDB()} {
			var got int
			if err := db.QueryRow("PRAGMA synchronous").Scan(&got); err != nil || got != c.want {
				t.Errorf("%s %s: synchronous %d %v, want %d", c.sync, name, got, err, c.want)
			}
		}
	}
	if _, err := sqlstore.ParseSynchronous("off"); err == nil {
		t.Error("synchronous off accepted")
	}
	if got, err := sqlstore.ParseSynchronous("Full"); err != nil || got != sqlstore.SyncFull {
		t.Errorf("Full: %v %v", got, err)
	}
}

// A token exchange's identity, read by KeyIdentity beside the key, is the
// kept one while the organization's auth_version read with the key is
// current, and read afresh once a change to the key's permissions moves it.
func TestKeyIdentity(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		_, _, key := orgWithKey(t, s, "a@acme.example")
		permissions := func() int {
			t.Helper()
			stored := must[*shopfloor.APIKey](t)(s.APIKeyByClientID(ctx, key.ClientID))
			return len(must[*shopfloor.Identity](t)(s.KeyIdentity(ctx, stored)).Permissions)
		}
		all := len(shopfloor.AllPermissions())
		for range 2 { // read, then kept
			if got := permissions(); got != all {
				t.Fatalf("key identity has %d permissions, want %d", got, all)
			}
		}
		before := s.Statements()
		permissions()
		if n := s.Statements() - before; n != 1 {
			t.Errorf("a kept key identity took %d statements, want 1", n)
		}
		if _, err := s.DB().ExecContext(ctx, s.Rebind("DELETE FROM api_key_permissions WHERE api_key_id = (SELECT id FROM api_keys WHERE client_id = ?)"), key.ClientID); err != nil {
			t.Fatal(err)
		}
		if got := permissions(); got != 0 {
			t.Errorf("after its permissions were removed, the key identity has %d", got)
		}
	})
}
