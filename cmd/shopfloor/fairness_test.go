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

// latencies are one measurement's request durations, sorted.
type latencies []time.Duration

// measured sorts ds into latencies.
func measured(ds []time.Duration) latencies {
	slices.Sort(ds)
	return ds
}

// at is the q-th quantile (0 < q <= 1) of l.
func (l latencies) at(q float64) time.Duration {
	return l[int(q*float64(len(l))+0.999)-1]
}

// One organization floods two replicas with documents of filtered counts
// over its 4,500 parts, as fast as its rate limit lets it; another
// organization's median latency on a small page stays within 3x its idle
// median (the larger of before and after the flood, in the best of 5
// rounds): a list is charged by the rows it touches, so the flood's bucket
// paces it, and each organization runs at most --org-concurrency root
// fields at once per replica, so it cannot take every connection of the
// pool. Without both the victim queues behind the flood: its latency went
// from 3 ms to 2.6 s, median and tail alike. The median is the bound, not
// the p99: on 2 cores the paced flood still shares the CPU, which puts a
// few of the victim's 200 requests behind a flood statement by chance
// (measured with a busy core beside the test, as in CI: p50 2-5 ms both
// idle and loaded, p99 3-14 ms idle and 10-47 ms loaded). The p99 is
// logged.
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
	round := func() (idle, loaded latencies, floods int64) {
		idle = measured(measure())
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
		loaded = measured(measure())
		stop.Store(true)
		wg.Wait()
		if after := measured(measure()); after.at(0.5) > idle.at(0.5) {
			idle = after // idle before and after: the machine's own noise
		}
		return idle, loaded, flooded.Load()
	}
	var idle, loaded latencies
	for range 5 {
		var floods int64
		idle, loaded, floods = round()
		t.Logf("victim p50/p99 idle %v/%v, under a flood of %d documents of %d filtered counts: %v/%v",
			idle.at(0.5), idle.at(0.99), floods, aliases, loaded.at(0.5), loaded.at(0.99))
		if loaded.at(0.5) <= 3*idle.at(0.5) {
			return
		}
	}
	t.Fatalf("victim median %v under the flood, over 3x its idle %v, in each of 5 rounds", loaded.at(0.5), idle.at(0.5))
}
