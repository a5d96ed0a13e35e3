package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// An unfiltered list's totalCount, which live_counts answers for the tables
// its triggers count, is the organization's live rows through every way a
// row comes and goes: created one at a time or many in one statement,
// deleted through the API, restored, and deleted for good.
func TestLiveCounts(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "b.example", shopfloor.RoleAdmin)
		orgOf := func(ctx context.Context) int64 {
			return must[*shopfloor.Principal](t)(shopfloor.PrincipalFrom(ctx)).OrgID
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := s.DB().ExecContext(ctx, s.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		lists := map[string]func(ctx context.Context, opts shopfloor.ListOptions) (int, error){
			"parts": func(ctx context.Context, opts shopfloor.ListOptions) (int, error) {
				p, err := s.Parts(ctx, opts)
				return total(p, err)
			},
			"part_inventories": func(ctx context.Context, opts shopfloor.ListOptions) (int, error) {
				p, err := s.PartInventories(ctx, opts)
				return total(p, err)
			},
			"locations": func(ctx context.Context, opts shopfloor.ListOptions) (int, error) {
				p, err := s.Locations(ctx, opts)
				return total(p, err)
			},
		}
		entities := map[string]string{"parts": "Part", "part_inventories": "PartInventory", "locations": "Location"}
		check := func(step string) {
			t.Helper()
			for name, list := range lists {
				for _, ctx := range []context.Context{ctx, other} {
					var want int
					if err := s.DB().QueryRowContext(ctx, s.Rebind("SELECT COUNT(*) FROM "+name+" WHERE org_id = ? AND deleted_at IS NULL"), orgOf(ctx)).Scan(&want); err != nil {
						t.Fatal(err)
					}
					for _, first := range []int{0, 1, 50} { // the count alone, and beside a page
						if got := must[int](t)(list(ctx, shopfloor.ListOptions{First: &first})); got != want {
							t.Errorf("%s: %s of org %d, first %d: totalCount %d, want %d", step, name, orgOf(ctx), first, got, want)
						}
					}
					// The cost model's counts read the same.
					if got := must[map[string]int](t)(s.RowCounts(ctx))[entities[name]]; got != want {
						t.Errorf("%s: %s of org %d: row count %d, want %d", step, name, orgOf(ctx), got, want)
					}
				}
			}
		}
		check("empty")
		var ids []int64
		for _, n := range []string{"A", "B", "C"} {
			ids = append(ids, must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: &n})).ID)
		}
		must[*shopfloor.Part](t)(s.CreatePart(other, shopfloor.PartFields{PartNumber: ptr("Theirs")}))
		loc := must[*shopfloor.Location](t)(s.CreateLocation(ctx, shopfloor.LocationFields{Name: ptr("WH")}))
		inv := must[*shopfloor.PartInventory](t)(s.CreatePartInventory(ctx, shopfloor.PartInventoryFields{PartID: &ids[0], Quantity: ptr(1.0), LocationID: &loc.ID}))
		check("created")
		exec("INSERT INTO parts (org_id, part_number, revision, part_type, status, etag, created_at, updated_at) " +
			"SELECT org_id, part_number || '-copy', revision, part_type, status, etag || 'c', created_at, updated_at FROM parts WHERE deleted_at IS NULL")
		exec("INSERT INTO entities (org_id, kind, row_id) SELECT org_id, 'Part', id FROM parts WHERE part_number LIKE '%-copy'")
		check("inserted in one statement")
		compact := func(step string) {
			t.Helper()
			if err := s.CompactLiveCounts(ctx); err != nil {
				t.Fatal(err)
			}
			var keys, rows int
			if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(DISTINCT org_id || table_name), COUNT(*) FROM live_counts").Scan(&keys, &rows); err != nil {
				t.Fatal(err)
			}
			if rows != keys {
				t.Errorf("%s: compacted, live_counts holds %d rows for %d counts", step, rows, keys)
			}
			check(step)
		}
		compact("compacted")
		part := must[*shopfloor.Part](t)(s.Part(ctx, ids[1]))
		if err := s.DeletePart(ctx, part.ID, part.Etag); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePartInventory(ctx, inv.ID, inv.Etag); err != nil {
			t.Fatal(err)
		}
		check("deleted")
		exec("UPDATE parts SET deleted_at = CURRENT_TIMESTAMP WHERE id = ?", ids[2]) // deleted again: no change
		exec("UPDATE parts SET deleted_at = NULL WHERE id = ?", ids[1])
		check("restored")
		exec("DELETE FROM parts WHERE id = ?", ids[1])
		exec("DELETE FROM parts WHERE id = ?", ids[2]) // deleted before: no change
		check("deleted for good")
		compact("compacted again")
		// A filtered list counts its matches.
		if got := must[int](t)(lists["parts"](ctx, shopfloor.ListOptions{Filters: map[string]any{"partNumber": map[string]any{"eq": "A"}}})); got != 1 {
			t.Errorf("filtered totalCount %d, want 1", got)
		}
	})
}

func total[T any](p *shopfloor.Page[T], err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return p.TotalCount, nil
}

// Writers appending to live_counts while replicas compact them leave the
// totals exact: a compaction folds only the rows it sees.
func TestLiveCountsCompactWhileWriting(t *testing.T) {
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := asUser(t, s, "a.example", shopfloor.RoleAdmin)
		const writers, each = 4, 15
		var wg sync.WaitGroup
		errs := make(chan error, writers+2)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					part, err := s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr(fmt.Sprintf("W%d-%d", w, i))})
					if err == nil && i%3 == 0 {
						err = s.DeletePart(ctx, part.ID, part.Etag)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		done := make(chan struct{})
		var compactors sync.WaitGroup
		for range 2 { // two replicas
			compactors.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if err := s.CompactLiveCounts(ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(done)
		compactors.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		first := 0
		page := must[*shopfloor.Page[shopfloor.Part]](t)(s.Parts(ctx, shopfloor.ListOptions{First: &first}))
		if want := writers * (each - each/3); page.TotalCount != want {
			t.Errorf("totalCount %d, want %d", page.TotalCount, want)
		}
	})
}
