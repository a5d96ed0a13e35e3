package graph

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// However many requests find an organization's row counts missing or
// stale at once, one statement reads them: the first time every request
// waits for it, later the others go on with the last counts.
func TestRowCountsReadOnceAtATime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := sqlstore.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	org, err := s.CreateOrganization(ctx, "a.example", "a.example")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, org.ID, "someone@a.example", "Someone", shopfloor.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Identity(ctx, u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx = shopfloor.WithPrincipal(ctx, &id.Principal)
	c := &rowCounts{store: s, logger: slog.New(slog.DiscardHandler), byOrg: map[int64]countedAt{}}
	concurrently := func() []map[string]int {
		got := make([]map[string]int, 50)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() { got[i] = c.of(ctx, org.ID) })
		}
		wg.Wait()
		return got
	}

	before := s.Statements()
	for _, rows := range concurrently() {
		if rows["User"] != 1 || rows["Part"] != 0 {
			t.Fatalf("first counts %v", rows)
		}
	}
	if n := s.Statements() - before; n != 1 {
		t.Fatalf("%d statements read the first counts, want 1", n)
	}

	number := "P-1"
	if _, err := s.CreatePart(ctx, shopfloor.PartFields{PartNumber: &number}); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	stale := c.byOrg[org.ID]
	stale.at = stale.at.Add(-rowCountTTL)
	c.byOrg[org.ID] = stale
	c.mu.Unlock()
	before = s.Statements()
	for _, rows := range concurrently() {
		if rows["User"] != 1 {
			t.Fatalf("stale counts %v", rows)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		c.mu.Lock()
		fresh := c.byOrg[org.ID]
		c.mu.Unlock()
		if fresh.rows["Part"] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("counts not refreshed: %v", fresh.rows)
		}
	}
	if n := s.Statements() - before; n != 1 {
		t.Fatalf("%d statements refreshed the counts, want 1", n)
	}
}
