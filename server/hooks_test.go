package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// withReceivers adds n active receivers, each subscribed to parts' creates
// and updates, and makes a part: each receiver's event has two attempts in
// the delivery log, a failure and the delivery.
func (f *fixture) withReceivers(tb testing.TB, n int) {
	tb.Helper()
	for i := range n {
		r, err := f.store.CreateWebhookReceiver(f.as, shopfloor.WebhookReceiverFields{Name: new(fmt.Sprintf("Receiver %d", i)),
			WebhookURI: new(fmt.Sprintf("https://hooks.example/%d", i)), SharedSecret: new("0123456789abcdef")})
		if err != nil {
			tb.Fatal(err)
		}
		for _, action := range []string{"CREATE", "UPDATE"} {
			if _, err := f.store.CreateWebhookSubscription(f.as, shopfloor.WebhookSubscriptionFields{ReceiverID: &r.ID, Resource: new("PART"), Action: new(action)}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if _, err := f.store.CreatePart(f.as, shopfloor.PartFields{PartNumber: new(fmt.Sprintf("HOOKED-%d", n))}); err != nil {
		tb.Fatal(err)
	}
	failure, status := "HTTP 503", 503
	for _, delivered := range []bool{false, true} {
		events, err := f.store.TakeWebhookEvents(f.as, time.Minute, n)
		if err != nil || len(events) != n {
			tb.Fatalf("%d events: %v", len(events), err)
		}
		for _, e := range events {
			a := shopfloor.WebhookAttempt{At: time.Now(), Delivered: delivered, StatusCode: &status, Error: &failure, RetryAt: time.Now()}
			if delivered {
				a.StatusCode, a.Error = nil, nil
			}
			if err := f.store.RecordWebhookAttempt(f.as, e, a, time.Hour); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// webhookReads selects a page of receivers with their subscriptions and a
// page of the delivery log, as an integrator's console does.
const webhookReads = `{ webhookReceivers(first: %[1]d) { edges { node { id name webhookUri sharedSecret active disabledReason
	subscriptions { id receiverId resource action } } } totalCount }
	webhookDeliveries(first: %[1]d) { edges { node { id eventId receiverId subscriptionId resource action entityId attempt statusCode error durationMs } } totalCount } }`

// No N+1 in webhooks: the statements of receivers with their
// subscriptions and of the delivery log do not grow with the page size.
func TestWebhookStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.withReceivers(t, 50)
	var counts []int64
	for _, n := range []int{2, 5, 20, 50} {
		q := fmt.Sprintf(webhookReads, n)
		if raw := string(f.query(t, q)); strings.Count(raw, `"webhookUri"`) != n || strings.Count(raw, `"attempt"`) != n {
			t.Fatalf("a page of %d: %s", n, raw)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for pages of 2, 5, 20, 50 receivers and deliveries: %v", counts)
	for _, c := range counts[1:] {
		if c != counts[0] {
			t.Fatalf("statements per request grow with the page size: %v", counts)
		}
	}
	// principal + receivers with their count + subscriptions + deliveries
	// with their count
	if counts[0] != 4 {
		t.Errorf("want 4 statements per request, got %d", counts[0])
	}
}

// BenchmarkWebhookReads measures 50 receivers with their subscriptions
// and 50 rows of the delivery log over HTTP, and reports the SQL
// statements per request.
func BenchmarkWebhookReads(b *testing.B) {
	f := newFixture(b)
	f.withReceivers(b, 50)
	f.bench(b, fmt.Sprintf(webhookReads, 50))
}

// withAttachments attaches a drawing (uploaded) and notes (not yet) to
// each of the first n parts, and returns the id of the last attachment.
func (f *fixture) withAttachments(tb testing.TB, n int) int64 {
	tb.Helper()
	var page struct {
		Data struct {
			Parts struct {
				Edges []struct{ Node struct{ EntityID int64 } }
			}
		}
	}
	json.Unmarshal(f.query(tb, fmt.Sprintf(`{ parts(first: %d) { edges { node { entityId } } } }`, n)), &page)
	if len(page.Data.Parts.Edges) != n {
		tb.Fatalf("%d parts", len(page.Data.Parts.Edges))
	}
	var last int64
	for _, e := range page.Data.Parts.Edges {
		for _, name := range []string{"drawing.png", "notes.txt"} {
			a, upload, err := f.store.CreateFileAttachment(f.as, shopfloor.FileAttachmentFields{EntityID: &e.Node.EntityID, Filename: new(name)})
			if err != nil {
				tb.Fatal(err)
			}
			if name == "drawing.png" {
				if err := f.store.FinishFileUpload(f.as, upload.S3Key, 3, "abc"); err != nil {
					tb.Fatal(err)
				}
			}
			last = a.ID
		}
	}
	return last
}

// partFiles selects a page of parts with their attachments and thumbnail,
// and one attachment by id.
const partFiles = `{ parts(first: %d) { edges { node { id
	fileAttachments { id entityId filename contentType s3Bucket s3Key size sha256 downloadUrl url }
	thumbnail { url } } } }
	fileAttachment(id: %d) { id filename downloadUrl url } }`

// No N+1 in files: the statements of parts' attachments and thumbnails
// and of fileAttachment(id) do not grow with the page size.
func TestFileStatementsDoNotGrowWithPageSize(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	last := f.withAttachments(t, 50)
	var counts []int64
	for _, n := range []int{2, 5, 20, 50} {
		q := fmt.Sprintf(partFiles, n, last)
		if raw := string(f.query(t, q)); strings.Count(raw, `"filename":"notes.txt"`) < n || strings.Count(raw, `"thumbnail":{`) != n {
			t.Fatalf("a page of %d: %s", n, raw)
		}
		counts = append(counts, f.statements(t, q))
	}
	t.Logf("statements per request for pages of 2, 5, 20, 50 parts with files: %v", counts)
	for _, c := range counts[1:] {
		if c != counts[0] {
			t.Fatalf("statements per request grow with the page size: %v", counts)
		}
	}
	// principal + parts page + their attachments (thumbnails among them)
	// + fileAttachment(id)
	if counts[0] != 4 {
		t.Errorf("want 4 statements per request, got %d", counts[0])
	}
}

// BenchmarkPartFiles measures 50 parts with two attachments each and
// their thumbnails over HTTP, and reports the SQL statements per request.
func BenchmarkPartFiles(b *testing.B) {
	f := newFixture(b)
	f.bench(b, fmt.Sprintf(partFiles, 50, f.withAttachments(b, 50)))
}

// bench runs query over HTTP for the benchmark's iterations and reports
// the SQL statements per request.
func (f *fixture) bench(b *testing.B, query string) {
	before := f.store.Statements()
	b.ReportAllocs()
	for b.Loop() {
		f.query(b, query)
	}
	b.ReportMetric(float64(f.store.Statements()-before)/float64(b.N), "sql/op")
}
