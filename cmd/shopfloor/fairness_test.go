package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
)

// seedParts gives the organization of the user with email n parts in
// all, in one statement on the PostgreSQL database at url.
func seedParts(t *testing.T, url, email string, n int) {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(t.Context(), `INSERT INTO parts (org_id, part_number, description, revision, part_type, status, etag, created_at, updated_at)
		SELECT p.org_id, 'BULK-' || g, 'bulk part ' || g, p.revision, p.part_type, p.status, p.etag, p.created_at, p.updated_at
		FROM parts p CROSS JOIN generate_series(1, $1 - (SELECT COUNT(*) FROM parts WHERE org_id = p.org_id)) g
		WHERE p.id = (SELECT MIN(id) FROM parts WHERE org_id = (SELECT org_id FROM users WHERE email = $2))`, n, email)
	if err != nil {
		t.Fatal(err)
	}
}

// p99 is the 99th percentile of durations.
func p99(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*99+99)/100-1]
}

// One organization floods two replicas with documents of filtered counts
// over its 4,500 parts, as fast as its rate limit lets it; another
// organization's small page stays within 3x its idle p99 (the larger of
// before and after the flood, in the best of 3 rounds): a list is charged by the rows it touches,
// so the flood's bucket paces it, and each organization runs at most
// --org-concurrency root fields at once per replica, so it cannot take
// every connection of the pool. (Before both, the victim's p99 went from
// 3 ms to 2.6 s.)
func TestTenantFloodDoesNotSlowAnother(t *testing.T) {
	const (
		samples  = 200
		flooders = 6
		aliases  = 200
	)
	db := pgtest.Database(t)
	// The flood's documents cost 200 x 47 (4,500 rows touched each): the
	// organization's bucket runs two a second.
	flags := []string{"--database-url", db, "--org-rate", "20000", "--org-burst", "20000", "--org-concurrency", "1"}
	a := startServer(t, flags...)
	b := startServer(t, flags...)
	b.Creds = a.Creds
	replicas := []*testServer{a, b}
	floodUser := a.Creds.Orgs[0].Users[0].Email
	seedParts(t, db, floodUser, 4500)
	flooder := http.Header{"Authorization": {"Bearer " + a.userToken(t, floodUser)}}
	victim := http.Header{"Authorization": {"Bearer " + a.userToken(t, a.Creds.Orgs[1].Users[0].Email)}}

	var doc strings.Builder
	for i := range aliases {
		fmt.Fprintf(&doc, ` c%d: parts(first: 0, filters: {description: {ilike: \"%%zz%%\"}}) { totalCount }`, i)
	}
	flood := `{"query": "{` + doc.String() + ` }"}`
	page := `{"query": "{ parts(first: 5) { edges { node { id partNumber } } } }"}`
	measure := func() []time.Duration {
		ds := make([]time.Duration, samples)
		for i := range ds {
			start := time.Now()
			r, err := replicas[i%2].send(victim, page)
			ds[i] = time.Since(start)
			if err != nil || r.Status != http.StatusOK || len(r.Errors) > 0 {
				t.Fatalf("victim: %v %d %.300s", err, r.Status, r.Raw)
			}
		}
		return ds
	}
	measure() // warm up
	// A round measures the victim idle, under the flood, and idle again. The
	// machine's other work (CI runs packages side by side) can slow one round
	// by chance; an unfair limiter slows every one, so the best of 5 counts.
	round := func() (idle, loaded time.Duration, floods int64) {
		idle = p99(measure())
		var stop atomic.Bool
		var flooded atomic.Int64
		var wg sync.WaitGroup
		for i := range flooders {
			wg.Go(func() {
				for n := 0; n < 200 && !stop.Load(); n++ {
					r, err := replicas[i%2].send(flooder, flood)
					switch {
					case err == nil && r.Status == http.StatusTooManyRequests:
						time.Sleep(backoff(0, r.Header.Get("Retry-After")))
					case err != nil || r.Status != http.StatusOK || len(r.Errors) > 0:
						t.Errorf("flood: %v %d %.300s", err, r.Status, r.Raw)
						return
					default:
						flooded.Add(1)
					}
				}
			})
		}
		for flooded.Load() < 2 { // the flood under way
			time.Sleep(10 * time.Millisecond)
		}
		loaded = p99(measure())
		stop.Store(true)
		wg.Wait()
		idle = max(idle, p99(measure())) // idle before and after: the machine's own noise
		return idle, loaded, flooded.Load()
	}
	var idle, loaded time.Duration
	for range 5 {
		var floods int64
		idle, loaded, floods = round()
		t.Logf("victim p99 idle %v, under a flood of %d documents of %d filtered counts: %v", idle, floods, aliases, loaded)
		if loaded <= 3*idle {
			return
		}
	}
	t.Fatalf("victim p99 %v under the flood, over 3x its idle %v, in each of 5 rounds", loaded, idle)
}
