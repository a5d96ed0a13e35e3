package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/shopfloor-dev/shopfloor"
	"github.com/shopfloor-dev/shopfloor/sqlstore"
)

// seedWebhooks registers a receiver for part changes and leaves it paused
// (inactive), after a part update whose event it failed to take once and
// then took: a delivery log of a failure and a success to read, and
// nothing sent anywhere until a user points the receiver at their own
// endpoint and activates it.
func seedWebhooks(ctx context.Context, s *sqlstore.Store, spec orgSpec) error {
	r, err := s.CreateWebhookReceiver(ctx, shopfloor.WebhookReceiverFields{
		Name:         ptr(spec.name + " ERP sync"),
		Description:  ptr("Paused: point webhookUri at your endpoint and set active to true."),
		WebhookURI:   ptr("https://erp." + spec.domain + "/hooks/shopfloor"),
		SharedSecret: ptr(fmt.Sprintf("demo-%s-webhook-secret", spec.prefix)),
	})
	if err != nil {
		return err
	}
	for _, sub := range [][2]string{{"PART", "CREATE"}, {"PART", "UPDATE"}, {"PART_INVENTORY", "UPDATE"}} {
		if _, err := s.CreateWebhookSubscription(ctx, shopfloor.WebhookSubscriptionFields{ReceiverID: &r.ID, Resource: &sub[0], Action: &sub[1]}); err != nil {
			return err
		}
	}
	parts, err := s.Parts(ctx, shopfloor.ListOptions{First: ptr(1)})
	if err != nil {
		return err
	}
	if len(parts.Items) == 0 {
		return fmt.Errorf("no part to change")
	}
	p := parts.Items[0]
	if p.Description == nil {
		return fmt.Errorf("part %s has no description", p.PartNumber)
	}
	if _, err := s.UpdatePart(ctx, p.ID, p.Etag, shopfloor.PartFields{Description: ptr(*p.Description + ", reviewed")}); err != nil {
		return err
	}
	for _, answer := range []int{http.StatusServiceUnavailable, http.StatusOK} {
		events, err := s.TakeWebhookEvents(ctx, time.Minute, 1)
		if err != nil {
			return err
		}
		if len(events) != 1 {
			return fmt.Errorf("%d webhook events taken, not 1", len(events))
		}
		at := s.Now()
		a := shopfloor.WebhookAttempt{At: at, Delivered: answer == http.StatusOK, StatusCode: ptr(answer), Duration: 120 * time.Millisecond, RetryAt: at}
		if !a.Delivered {
			a.Error = ptr(fmt.Sprintf("HTTP %d, expected %d", answer, http.StatusOK))
		}
		if err := s.RecordWebhookAttempt(ctx, events[0], a, 24*time.Hour); err != nil {
			return err
		}
	}
	r, err = s.WebhookReceiver(ctx, r.ID)
	if err != nil {
		return err
	}
	_, err = s.UpdateWebhookReceiver(ctx, r.ID, r.Etag, shopfloor.WebhookReceiverFields{Active: ptr(false)})
	return err
}
