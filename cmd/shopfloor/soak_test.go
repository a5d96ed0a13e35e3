package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/internal/redistest"
)

// soakClient does what the error contract tells a client to do with
// transport failures: back off and retry on 429 and 5xx, waiting
// Retry-After when given. It spreads its requests over the replicas, as a
// load balancer would. Only injected faults are expected: any other 429 or
// 5xx ends the soak.
type soakClient struct {
	replicas []*testServer
	auth     http.Header
	next     int
	injected *atomic.Int64
}

func (c *soakClient) do(query string, vars map[string]any) (gqlResponse, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return gqlResponse{}, err
	}
	for attempt := 0; ; attempt++ {
		s := c.replicas[c.next%len(c.replicas)]
		c.next++
		r, err := s.send(c.auth, string(body))
		switch {
		case err != nil:
			return r, err
		case r.Status == http.StatusOK:
			return r, nil
		case r.Header.Get("X-Shopfloor-Fault") == "":
			return r, fmt.Errorf("HTTP %d outside injected faults: %s", r.Status, r.Raw)
		}
		c.injected.Add(1)
		time.Sleep(backoff(attempt, r.Header.Get("Retry-After")))
	}
}

// backoff is the wait before retry attempt+1: Retry-After when the server
// gives it, else exponential from 10ms (the contract's 1 s, scaled down for
// a test) with jitter.
func backoff(attempt int, retryAfter string) time.Duration {
	if secs, err := strconv.Atoi(retryAfter); err == nil {
		return time.Duration(secs) * time.Second
	}
	d := min(10*time.Millisecond<<attempt, 200*time.Millisecond)
	return d/2 + rand.N(d/2)
}

// The soak: two replicas on one PostgreSQL database sharing limits through
// Redis, with random injected faults. Writers increment one inventory row
// with read, re-apply on 409 and retry on faults; an API key with a small
// bucket reads meanwhile. No write is lost (the row's quantity is the
// number of successful increments), no 5xx comes that was not injected, and
// the key gets exactly the 429s its bucket predicts.
func TestSoakTwoReplicas(t *testing.T) {
	const (
		writers   = 8
		perWriter = 25
		reads     = 30
		keyBurst  = 10 * tenPartsCost // ten reads, then 429 until refilled at 1/s
	)
	db, rdb := pgtest.Database(t), redistest.Start(t)
	flags := []string{"--database-url", db, "--redis-url", rdb, "--faults", "--fault-rate", "0.03",
		"--key-burst", strconv.Itoa(keyBurst), "--key-rate", "1"}
	a := startServer(t, flags...)
	b := startServer(t, flags...)
	b.Creds = a.Creds
	replicas := []*testServer{a, b}

	userAuth := http.Header{"Authorization": {"Bearer " + a.userToken(t, a.Creds.Orgs[0].Users[0].Email)}}
	var injected atomic.Int64
	setup := &soakClient{replicas: replicas, auth: userAuth, injected: &injected}
	r, err := setup.do(counterCreate, map[string]any{"q": 1})
	if err != nil || len(r.Errors) > 0 {
		t.Fatalf("create: %v %s", err, r.Raw)
	}
	var created map[string]ref
	r.field(t, "createPartInventory", &created)
	id := created["partInventory"].ID

	var successes, conflicts atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers+1)
	for w := range writers {
		c := &soakClient{replicas: replicas, auth: userAuth, next: w, injected: &injected}
		wg.Go(func() {
			if err := increment(c, id, perWriter, &successes, &conflicts); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		})
	}
	var passed, limited int
	viewer := http.Header{"Authorization": {"Bearer " + a.token(t, 0, shopfloor.RoleReadOnly)}}
	wg.Go(func() {
		for i := range reads {
			r, err := replicas[i%2].send(viewer, `{"query":"`+tenParts+`"}`)
			switch {
			case err != nil:
				errs <- err
				return
			case r.Status == http.StatusTooManyRequests && r.Header.Get("X-Shopfloor-Fault") == "":
				limited++
			case r.Status == http.StatusOK || r.Header.Get("X-Shopfloor-Fault") != "":
				passed++ // past the limiter: served, or given an injected fault
			default:
				errs <- fmt.Errorf("reader: HTTP %d outside injected faults: %s", r.Status, r.Raw)
				return
			}
		}
	})
	start := time.Now()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	var final struct{ Quantity float64 }
	r, err = setup.do(fmt.Sprintf(`{ partInventory(id: %d) { quantity } }`, id), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.must(t).field(t, "partInventory", &final)
	t.Logf("%v: %d increments, %d conflicts re-applied, %d injected faults retried; reader %d served, %d limited",
		time.Since(start).Round(time.Millisecond), successes.Load(), conflicts.Load(), injected.Load(), passed, limited)
	if successes.Load() != writers*perWriter || final.Quantity != float64(1+successes.Load()) {
		t.Fatalf("lost writes: %d successful increments, quantity %v (want %d)", successes.Load(), final.Quantity, 1+successes.Load())
	}
	if passed != keyBurst/tenPartsCost || limited != reads-passed {
		t.Fatalf("reader: %d passed the limit and %d were refused; want %d and %d", passed, limited, keyBurst/tenPartsCost, reads-keyBurst/tenPartsCost)
	}
}

// increment adds 1 to the row's quantity n times, re-reading and
// re-applying whenever its etag went stale.
func increment(c *soakClient, id int64, n int, successes, conflicts *atomic.Int64) error {
	for done := 0; done < n; {
		r, err := c.do(counterRead, map[string]any{"id": id})
		if err != nil {
			return err
		}
		var cur counter
		if len(r.Errors) > 0 || json.Unmarshal(r.Data["partInventory"], &cur) != nil {
			return fmt.Errorf("read: %s", r.Raw)
		}
		r, err = c.do(counterIncrement, cur.next(id))
		switch {
		case err != nil:
			return err
		case len(r.Errors) == 0:
			done++
			successes.Add(1)
		case r.isConflict():
			conflicts.Add(1)
		default:
			return fmt.Errorf("update: %s", r.Raw)
		}
	}
	return nil
}
