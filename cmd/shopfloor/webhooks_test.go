package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/internal/pgtest"
	"github.com/shopfloor-dev/shopfloor/webhook"
)

// fastWebhooks are flags that make delivery quick enough to watch.
var fastWebhooks = []string{"--webhook-poll", "20ms", "--webhook-retry-base", "50ms", "--webhook-retry-max", "200ms", "--webhook-timeout", "2s"}

const webhookSecret = "a-shared-secret-of-the-receiver"

// receiver is a real HTTP receiver on loopback: it checks each delivery's
// signature with the shared secret (HMAC-SHA256 of the body, hex, in
// x-ion-signature) and keeps the bodies it accepted.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	accepted []webhook.Body
	requests int
	bad      int // deliveries whose signature did not verify
	// answer decides the status of the nth request (from 1); nil: 200.
	answer func(n int, r *http.Request) int
}

func newReceiver(t *testing.T, answer func(n int, r *http.Request) int) *receiver {
	rc := &receiver{answer: answer}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.requests++
		n := rc.requests
		mac := hmac.New(sha256.New, []byte(webhookSecret)) // as a receiver verifies, without the server's code
		mac.Write(raw)
		signature, err := hex.DecodeString(r.Header.Get("x-ion-signature"))
		if err != nil || !hmac.Equal(signature, mac.Sum(nil)) || r.Header.Get("Content-Type") != "application/json" {
			rc.bad++
		}
		rc.mu.Unlock()
		status := http.StatusOK
		if rc.answer != nil {
			status = rc.answer(n, r)
		}
		if status == http.StatusOK {
			var b webhook.Body
			if err := json.Unmarshal(raw, &b); err != nil || !strings.HasPrefix(string(raw), `{"event_id":`) {
				t.Errorf("body %s: %v", raw, err)
			}
			rc.mu.Lock()
			rc.accepted = append(rc.accepted, b)
			rc.mu.Unlock()
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

// waitFor waits until cond holds of the accepted bodies.
func (rc *receiver) waitFor(t *testing.T, what string, cond func([]webhook.Body) bool) []webhook.Body {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		rc.mu.Lock()
		got := slices.Clone(rc.accepted)
		bad := rc.bad
		rc.mu.Unlock()
		if bad > 0 {
			t.Fatalf("%d deliveries with a bad signature", bad)
		}
		if cond(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: got %+v", what, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// distinct is the number of distinct events among bodies.
func distinct(bodies []webhook.Body) int {
	seen := map[int64]bool{}
	for _, b := range bodies {
		seen[b.EventID] = true
	}
	return len(seen)
}

// subscribe makes a receiver of url subscribed to resource × actions.
func (s *testServer) subscribe(t *testing.T, tok, url, resource string, actions ...string) int64 {
	t.Helper()
	var out struct{ WebhookReceiver struct{ ID int64 } }
	s.gql(t, tok, `mutation($in: CreateWebhookReceiverInput!) { createWebhookReceiver(input: $in) { webhookReceiver { id } } }`,
		map[string]any{"in": map[string]any{"name": unique("receiver"), "webhookUri": url, "sharedSecret": webhookSecret}}).must(t).field(t, "createWebhookReceiver", &out)
	for _, action := range actions {
		s.gql(t, tok, `mutation($r: ID!, $res: ResourceEnum!, $a: WebhookSubscriptionActions!) {
			createWebhookSubscription(input: {receiverId: $r, resource: $res, action: $a}) { webhookSubscription { id } } }`,
			map[string]any{"r": out.WebhookReceiver.ID, "res": resource, "a": action}).must(t)
	}
	return out.WebhookReceiver.ID
}

// touchPart updates a part's description n times.
func (s *testServer) touchPart(t *testing.T, tok string, p testPart, n int) testPart {
	t.Helper()
	for i := range n {
		var out struct{ Part testPart }
		s.gql(t, tok, `mutation($id: ID!, $e: String!, $d: String) { updatePart(input: {id: $id, etag: $e, description: $d}) { part { id entityId _etag } } }`,
			map[string]any{"id": p.ID, "e": p.Etag, "d": unique("touched") + string(rune('a'+i))}).must(t).field(t, "updatePart", &out)
		p = out.Part
	}
	return p
}

// A real receiver on loopback: every delivery's signature verifies with the
// shared secret; it fails the first two attempts, and the events arrive
// later, in order for the entity; the delivery log shows every attempt;
// a refused change (stale etag) and an unsubscribed action send nothing.
func TestWebhookDeliveredSignedRetriedInOrder(t *testing.T) {
	t.Parallel()
	s := startServer(t, fastWebhooks...)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	rc := newReceiver(t, func(n int, _ *http.Request) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	receiverID := s.subscribe(t, tok, rc.URL, "PART", "CREATE", "UPDATE")
	part := s.newPart(t, tok)
	part = s.touchPart(t, tok, part, 3)
	s.gql(t, tok, `mutation($id: ID!) { updatePart(input: {id: $id, etag: "stale", description: "x"}) { part { id } } }`,
		map[string]any{"id": part.ID}).wantError(t, http.StatusOK, 409, "Concurrent modification detected — etag mismatch.")
	s.gql(t, tok, `mutation($id: ID!, $e: String!) { deletePart(id: $id, etag: $e) { id } }`, map[string]any{"id": part.ID, "e": part.Etag}).must(t)
	got := rc.waitFor(t, "four events", func(b []webhook.Body) bool { return len(b) >= 4 })
	var actions []string
	for i, b := range got {
		if b.Resource != "PART" || b.ID != part.ID || (i > 0 && b.EventID <= got[i-1].EventID) {
			t.Fatalf("out of order or foreign: %+v", got)
		}
		actions = append(actions, b.Action)
	}
	if !slices.Equal(actions, []string{"CREATE", "UPDATE", "UPDATE", "UPDATE"}) {
		t.Fatalf("actions %v", actions)
	}
	var log struct {
		Edges []struct {
			Node struct {
				EventID, EntityID, Attempt int64
				StatusCode                 *int
				Error                      *string
				Action                     string
			}
		}
	}
	// The sender records an attempt after its receiver answered: the last
	// one may land just after its body arrived.
	eventually(t, "six recorded attempts", func() bool {
		s.gql(t, tok, `query($r: ID) { webhookDeliveries(filters: {receiverId: {eq: $r}}) { edges { node { eventId entityId attempt statusCode error action } } } }`,
			map[string]any{"r": receiverID}).must(t).field(t, "webhookDeliveries", &log)
		return len(log.Edges) >= 6
	})
	if len(log.Edges) != 6 {
		t.Fatalf("delivery log: %+v", log)
	}
	for i, e := range log.Edges[:3] {
		n := e.Node
		wantStatus := map[bool]int{true: 200, false: 500}[i == 2]
		if n.EventID != got[0].EventID || n.Attempt != int64(i+1) || n.StatusCode == nil || *n.StatusCode != wantStatus || (i < 2) != (n.Error != nil) {
			t.Fatalf("attempt %d: %+v", i+1, n)
		}
	}
	time.Sleep(200 * time.Millisecond) // the DELETE would be sent by now, had it been subscribed
	if n := len(rc.waitFor(t, "", func([]webhook.Body) bool { return true })); n != 4 {
		t.Fatalf("%d deliveries, want 4", n)
	}
}

// A receiver that fails for longer than --webhook-disable-after is
// disabled, and says why; re-enabling it clears the reason.
func TestWebhookFailingReceiverDisabled(t *testing.T) {
	t.Parallel()
	s := startServer(t, append([]string{"--webhook-disable-after", "300ms"}, fastWebhooks...)...)
	tok := s.token(t, 0, shopfloor.RoleAdmin)
	rc := newReceiver(t, func(int, *http.Request) int { return http.StatusServiceUnavailable })
	id := s.subscribe(t, tok, rc.URL, "PART", "CREATE")
	s.newPart(t, tok)
	type state struct {
		Etag           string `json:"_etag"`
		Active         bool
		DisabledReason *string
	}
	var r state
	deadline := time.Now().Add(60 * time.Second)
	for {
		s.gql(t, tok, `query($id: ID!) { webhookReceiver(id: $id) { _etag active disabledReason } }`, map[string]any{"id": id}).must(t).field(t, "webhookReceiver", &r)
		if !r.Active {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the receiver was never disabled")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if r.DisabledReason == nil || !strings.HasPrefix(*r.DisabledReason, "Disabled: every delivery failed for 300ms, since ") ||
		!strings.HasSuffix(*r.DisabledReason, "; the last: HTTP 503, expected 200") {
		t.Fatalf("disabled: %+v", r)
	}
	s.gql(t, tok, `mutation($id: ID!, $e: String!) { updateWebhookReceiver(input: {id: $id, etag: $e, active: true}) { webhookReceiver { active disabledReason } } }`,
		map[string]any{"id": id, "e": r.Etag}).must(t).field(t, "updateWebhookReceiver", &struct{}{})
	s.gql(t, tok, `query($id: ID!) { webhookReceiver(id: $id) { _etag active disabledReason } }`, map[string]any{"id": id}).must(t).field(t, "webhookReceiver", &r)
	if !r.Active || r.DisabledReason != nil {
		t.Fatalf("re-enabled: %+v", r)
	}
}

// The server killed mid-delivery (SIGKILL of its process while the
// receiver holds the first request), then started again on the same data,
// delivers every committed event, in order per entity: the killed attempt
// left its event leased with no outcome, and the restarted server sends it
// once the lease lapses.
func TestWebhookRestartMidDelivery(t *testing.T) {
	t.Parallel()
	flags := append([]string{"--webhook-timeout", "1s"}, fastWebhooks[:6]...)
	dir := t.TempDir()
	first, process := spawn(t, dir, flags...)
	tok := first.token(t, 0, shopfloor.RoleAdmin)
	holding := make(chan struct{})
	var once sync.Once
	rc := newReceiver(t, func(n int, r *http.Request) int {
		if n == 1 { // hold the first delivery until its sender is gone
			once.Do(func() { close(holding) })
			<-r.Context().Done()
			return http.StatusServiceUnavailable
		}
		return http.StatusOK
	})
	first.subscribe(t, tok, rc.URL, "PART", "CREATE", "UPDATE")
	a := first.newPart(t, tok)
	<-holding
	first.touchPart(t, tok, a, 2)
	b := first.newPart(t, tok)
	first.touchPart(t, tok, b, 1)
	if err := process.Kill(); err != nil {
		t.Fatal(err)
	}
	process.Wait()
	second, err := launch(dir, flags...)
	if err != nil {
		t.Fatal(err)
	}
	defer second.stop()
	got := rc.waitFor(t, "every committed event", func(b []webhook.Body) bool { return distinct(b) == 5 })
	byPart := map[int64][]string{}
	for _, body := range got {
		byPart[body.ID] = append(byPart[body.ID], body.Action)
	}
	if !slices.Equal(byPart[a.ID], []string{"CREATE", "UPDATE", "UPDATE"}) || !slices.Equal(byPart[b.ID], []string{"CREATE", "UPDATE"}) {
		t.Fatalf("per entity: %v", byPart)
	}
}

// Two replicas on one PostgreSQL deliver every event once: each replica's
// sender takes events under FOR UPDATE SKIP LOCKED and a lease.
func TestWebhookReplicasDeliverOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.Database(t)
	flags := append([]string{"--database-url", db}, fastWebhooks...)
	one := startServer(t, flags...)
	startServer(t, flags...)
	tok := one.token(t, 0, shopfloor.RoleAdmin)
	rc := newReceiver(t, nil)
	one.subscribe(t, tok, rc.URL, "PART", "CREATE", "UPDATE")
	const parts, updates = 10, 3
	for range parts {
		one.touchPart(t, tok, one.newPart(t, tok), updates)
	}
	got := rc.waitFor(t, "every event", func(b []webhook.Body) bool { return distinct(b) == parts*(1+updates) })
	time.Sleep(300 * time.Millisecond) // a duplicate would have arrived by now
	got = rc.waitFor(t, "", func([]webhook.Body) bool { return true })
	if len(got) != parts*(1+updates) {
		t.Fatalf("%d deliveries of %d events", len(got), distinct(got))
	}
}
