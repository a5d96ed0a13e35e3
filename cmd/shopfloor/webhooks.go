package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"time"

	"github.com/shopfloor-dev/shopfloor/sqlstore"
	"github.com/shopfloor-dev/shopfloor/webhook"
)

// webhookFlags are serve's settings of webhook delivery.
type webhookFlags struct {
	timeout, retryBase, retryMax, disableAfter, poll time.Duration
}

func (f *webhookFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&f.timeout, "webhook-timeout", webhook.DefaultTimeout, "longest one webhook delivery attempt may take")
	fs.DurationVar(&f.retryBase, "webhook-retry-base", webhook.DefaultRetryBase, "wait before a failed delivery's first retry; doubled per attempt, with jitter")
	fs.DurationVar(&f.retryMax, "webhook-retry-max", webhook.DefaultRetryMax, "longest wait between delivery attempts")
	fs.DurationVar(&f.disableAfter, "webhook-disable-after", webhook.DefaultDisableAfter, "a receiver whose deliveries all failed for this long is disabled")
	fs.DurationVar(&f.poll, "webhook-poll", webhook.DefaultPoll, "how often the outbox is read for due events when it had none")
}

func (f *webhookFlags) check() error {
	if f.timeout <= 0 || f.retryBase <= 0 || f.retryMax < f.retryBase || f.disableAfter <= 0 || f.poll <= 0 {
		return errors.New("serve: the --webhook-* durations must be positive, and --webhook-retry-max at least --webhook-retry-base")
	}
	return nil
}

// startWebhooks runs the webhook sender until the returned stop is called;
// stop waits for it, so that it ends before the store closes.
func startWebhooks(ctx context.Context, f webhookFlags, store *sqlstore.Store, logger *slog.Logger) (stop func()) {
	sender := &webhook.Sender{Outbox: store, Client: &http.Client{}, Timeout: f.timeout, RetryBase: f.retryBase, RetryMax: f.retryMax,
		DisableAfter: f.disableAfter, Poll: f.poll, Now: store.Now, Logger: logger}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); sender.Run(ctx) }()
	return func() { cancel(); <-done }
}
