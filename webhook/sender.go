// Package webhook delivers the outbox's events to their receivers: a JSON
// POST signed with HMAC-SHA256 of the body in x-ion-signature, at least
// once, in order per entity, retried with exponential backoff and jitter.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/shopfloor-dev/shopfloor"
)

// SignatureHeader carries the hex HMAC-SHA256 of the body under the
// receiver's shared secret.
const SignatureHeader = "x-ion-signature"

// Defaults of a Sender.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultRetryBase    = time.Second
	DefaultRetryMax     = time.Hour
	DefaultDisableAfter = 72 * time.Hour
	DefaultPoll         = time.Second
)

// batch is how many events one take leases, and sends at once.
const batch = 16

// Sender takes due events from the outbox and delivers them until its
// context ends. Replicas each run one: the outbox's leases give each event
// to one of them.
type Sender struct {
	Outbox shopfloor.WebhookOutbox
	Client *http.Client
	// Timeout bounds one attempt; RetryBase and RetryMax are the first and
	// the longest wait before a retry; a receiver failing for longer than
	// DisableAfter is disabled; Poll is how often the outbox is read when
	// it had nothing due.
	Timeout, RetryBase, RetryMax, DisableAfter, Poll time.Duration
	Now                                              func() time.Time
	Logger                                           *slog.Logger
}

// Body is an event's JSON body, event_id first as ION's.
type Body struct {
	EventID        int64     `json:"event_id"`
	SubscriptionID int64     `json:"subscription_id"`
	Resource       string    `json:"resource"`
	Action         string    `json:"action"`
	ID             int64     `json:"id"`
	OrganizationID int64     `json:"organization_id"`
	OccurredAt     time.Time `json:"occurred_at"`
}

// Sign is the x-ion-signature of body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Run delivers events until ctx ends. An attempt cut short by the end is
// not recorded: its lease lapses and the event is sent again, by this
// server after a restart or by another replica.
func (s *Sender) Run(ctx context.Context) {
	// The lease outlives a whole batch's attempts, which run at once.
	lease := 2*s.Timeout + time.Second
	for ctx.Err() == nil {
		events, err := s.Outbox.TakeWebhookEvents(ctx, lease, batch)
		if err != nil && ctx.Err() == nil {
			s.Logger.Error("webhook take", "error", err.Error())
		}
		var wg sync.WaitGroup
		for _, e := range events {
			wg.Go(func() { s.deliver(ctx, e) })
		}
		wg.Wait()
		if len(events) == 0 {
			select {
			case <-ctx.Done():
			case <-time.After(s.Poll):
			}
		}
	}
}

// deliver makes one attempt at e and records it.
func (s *Sender) deliver(ctx context.Context, e shopfloor.WebhookEvent) {
	body, _ := json.Marshal(Body{EventID: e.ID, SubscriptionID: e.SubscriptionID, Resource: e.Resource, Action: e.Action,
		ID: e.EntityID, OrganizationID: e.OrgID, OccurredAt: e.OccurredAt.UTC()})
	start := s.Now()
	status, err := s.post(ctx, e, body)
	if ctx.Err() != nil {
		return // stopped mid-delivery: the lease lapses, the event stays due
	}
	a := shopfloor.WebhookAttempt{At: s.Now(), Duration: time.Since(start)}
	if status != 0 {
		a.StatusCode = &status
	}
	switch {
	case err != nil:
		msg := err.Error()
		a.Error = &msg
	case status/100 == 2 || status == e.ExpectedResponseCode:
		a.Delivered = true
	default:
		msg := fmt.Sprintf("HTTP %d, expected %d", status, e.ExpectedResponseCode)
		a.Error = &msg
	}
	if !a.Delivered {
		a.RetryAt = a.At.Add(s.backoff(e.Attempts + 1))
	}
	if err := s.Outbox.RecordWebhookAttempt(context.WithoutCancel(ctx), e, a, s.DisableAfter); err != nil {
		s.Logger.Error("webhook record", "event", e.ID, "error", err.Error())
	}
}

// post sends body to e's receiver, signed, and returns its status.
func (s *Sender) post(ctx context.Context, e shopfloor.WebhookEvent, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URI, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", e.ContentType)
	req.Header.Set(SignatureHeader, Sign(e.SharedSecret, body))
	req.Header.Set("x-ion-event-id", fmt.Sprint(e.ID))
	req.Header.Set("User-Agent", "Shopfloor-Webhooks/1")
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// backoff is the wait before attempt n+1: RetryBase doubled per attempt
// made, at most RetryMax, times a random factor in [0.5, 1.5) so that
// receivers that failed together are not retried together.
func (s *Sender) backoff(attempts int) time.Duration {
	d := s.RetryMax
	if attempts < 40 {
		d = min(s.RetryBase<<(attempts-1), s.RetryMax)
	}
	return time.Duration(float64(d) * (0.5 + rand.Float64()))
}
