package sqlstore_test

import (
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// The outbox on both engines: a change writes its events in its own
// transaction (a refused change writes none, another organization's
// changes reach no one else's receivers); events of one entity are taken
// one at a time, oldest first; a failed attempt is due again at its retry
// time; a lapsed lease gives the event out again.
func TestOutbox(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		now := time.Now()
		s.Now = func() time.Time { return now }
		ctx := asUser(t, s, "hooks.example", shopfloor.RoleAdmin)
		other := asUser(t, s, "quiet.example", shopfloor.RoleAdmin)
		r := must[*shopfloor.WebhookReceiver](t)(s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
			Name: ptr("r"), WebhookURI: ptr("https://hooks.example/in"), SharedSecret: ptr("0123456789abcdef")}))
		for _, action := range []string{"CREATE", "UPDATE"} {
			must[*shopfloor.WebhookSubscription](t)(s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{
				ReceiverID: &r.ID, Resource: ptr("PART"), Action: ptr(action)}))
		}
		take := func(lease time.Duration) []shopfloor.WebhookEvent {
			t.Helper()
			return must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, lease, 10))
		}
		part := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("HOOK-1")}))
		if _, err := s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("HOOK-1")}); err == nil {
			t.Fatal("a duplicate part was made")
		}
		must[*shopfloor.Part](t)(s.CreatePart(other, shopfloor.PartFields{PartNumber: ptr("HOOK-1")}))
		part = must[*shopfloor.Part](t)(s.UpdatePart(ctx, part.ID, part.Etag, shopfloor.PartFields{Description: ptr("one")}))
		must[*shopfloor.Part](t)(s.UpdatePart(ctx, part.ID, part.Etag, shopfloor.PartFields{Description: ptr("two")}))

		first := take(time.Minute)
		if len(first) != 1 || first[0].Action != "CREATE" || first[0].EntityID != part.ID || first[0].URI != "https://hooks.example/in" {
			t.Fatalf("first take: %+v", first)
		}
		if got := take(time.Minute); len(got) != 0 { // leased; the updates wait for it
			t.Fatalf("while leased: %+v", got)
		}
		now = now.Add(2 * time.Minute) // the lease lapsed: it is given out again
		again := take(time.Minute)
		if len(again) != 1 || again[0].ID != first[0].ID {
			t.Fatalf("after the lease: %+v", again)
		}
		fail := "HTTP 500"
		if err := s.RecordWebhookAttempt(ctx, again[0], shopfloor.WebhookAttempt{At: now, Error: &fail, RetryAt: now.Add(time.Second)}, time.Hour); err != nil {
			t.Fatal(err)
		}
		if got := take(time.Minute); len(got) != 0 {
			t.Fatalf("before its retry time: %+v", got)
		}
		now = now.Add(time.Second)
		retry := take(time.Minute)
		if len(retry) != 1 || retry[0].ID != first[0].ID || retry[0].Attempts != 1 {
			t.Fatalf("the retry: %+v", retry)
		}
		if err := s.RecordWebhookAttempt(ctx, retry[0], shopfloor.WebhookAttempt{At: now, Delivered: true}, time.Hour); err != nil {
			t.Fatal(err)
		}
		next := take(time.Minute)
		if len(next) != 1 || next[0].Action != "UPDATE" || next[0].ID <= first[0].ID {
			t.Fatalf("after the delivery: %+v", next)
		}
		log := must[*shopfloor.Page[shopfloor.WebhookDelivery]](t)(s.WebhookDeliveries(ctx, shopfloor.ListOptions{}))
		if len(log.Items) != 2 || log.Items[0].Attempt != 1 || log.Items[0].Error == nil || log.Items[1].Attempt != 2 || log.Items[1].Error != nil {
			t.Fatalf("delivery log: %+v", log.Items)
		}
		if n := len(must[*shopfloor.Page[shopfloor.WebhookDelivery]](t)(s.WebhookDeliveries(other, shopfloor.ListOptions{})).Items); n != 0 {
			t.Fatalf("another organization sees %d deliveries", n)
		}
	})
}

// A receiver whose deliveries all failed for disableAfter is disabled on
// both engines, saying why (readable on the receiver), and its undelivered
// events are abandoned; a success in between restarts the count; enabled
// again, it receives only later changes.
func TestOutboxDisablesFailingReceiver(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, s *sqlstore.Store) {
		start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		now := start
		s.Now = func() time.Time { return now }
		ctx := asUser(t, s, "failing.example", shopfloor.RoleAdmin)
		r := must[*shopfloor.WebhookReceiver](t)(s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
			Name: ptr("r"), WebhookURI: ptr("https://failing.example/in"), SharedSecret: ptr("0123456789abcdef")}))
		must[*shopfloor.WebhookSubscription](t)(s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{
			ReceiverID: &r.ID, Resource: ptr("PART"), Action: ptr("CREATE")}))
		for _, n := range []string{"FAIL-1", "FAIL-2", "FAIL-3"} {
			must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr(n)}))
		}
		events := must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Minute, 10))
		if len(events) != 3 {
			t.Fatalf("events: %+v", events)
		}
		status, disableAfter := 503, time.Hour
		attempt := func(e shopfloor.WebhookEvent, at time.Time, delivered bool) {
			t.Helper()
			a := shopfloor.WebhookAttempt{At: at, Delivered: delivered, RetryAt: at.Add(time.Minute)}
			if !delivered {
				a.StatusCode = &status
			}
			if err := s.RecordWebhookAttempt(ctx, e, a, disableAfter); err != nil {
				t.Fatal(err)
			}
		}
		attempt(events[0], start, false)
		attempt(events[1], start.Add(30*time.Minute), true) // a success: the failures are forgotten
		attempt(events[0], start.Add(40*time.Minute), false)
		if got := must[*shopfloor.WebhookReceiver](t)(s.WebhookReceiver(ctx, r.ID)); !got.Active || got.DisabledReason != nil {
			t.Fatalf("disabled too early: %+v", got)
		}
		attempt(events[2], start.Add(100*time.Minute), false) // failing since 40 minutes for an hour
		got := must[*shopfloor.WebhookReceiver](t)(s.WebhookReceiver(ctx, r.ID))
		want := "Disabled: every delivery failed for 1h0m0s, since 2026-03-01T12:40:00Z; the last: HTTP 503"
		if got.Active || got.DisabledReason == nil || *got.DisabledReason != want || got.Etag == r.Etag {
			t.Fatalf("after failing for an hour: %+v, want %q", got, want)
		}
		now = start.Add(24 * time.Hour)
		if due := must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Minute, 10)); len(due) != 0 {
			t.Fatalf("a disabled receiver's events are due: %+v", due)
		}
		must[*shopfloor.WebhookReceiver](t)(s.UpdateWebhookReceiver(ctx, r.ID, got.Etag, shopfloor.WebhookReceiverFields{Active: ptr(true)}))
		if due := must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Minute, 10)); len(due) != 0 {
			t.Fatalf("abandoned events came back: %+v", due)
		}
		later := must[*shopfloor.Part](t)(s.CreatePart(ctx, shopfloor.PartFields{PartNumber: ptr("FAIL-4")}))
		if due := must[[]shopfloor.WebhookEvent](t)(s.TakeWebhookEvents(ctx, time.Minute, 10)); len(due) != 1 || due[0].EntityID != later.ID {
			t.Fatalf("enabled again: %+v", due)
		}
	})
}
