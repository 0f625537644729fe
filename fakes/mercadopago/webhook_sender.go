package mercadopago

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"
)

// webhookSender delivers notifications in the background and keeps every
// notification sent about each payment, and the log of every attempt.
type webhookSender struct {
	secret   string
	client   *http.Client
	schedule []time.Duration
	now      func() time.Time
	log      *slog.Logger
	bg       *background

	mu         sync.Mutex
	nextID     int64
	sent       map[int64][]notification // by payment, oldest first
	deliveries []Delivery               // at least the newest maxDeliveries, oldest first
}

// maxDeliveries bounds the delivery log, so that a fake under load for
// hours does not grow without end: it keeps at least the newest that many.
const maxDeliveries = 10_000

func newWebhookSender(opts Options, now func() time.Time, bg *background) *webhookSender {
	return &webhookSender{
		secret:   opts.WebhookSecret,
		client:   opts.HTTPClient,
		schedule: slices.Clone(opts.RetrySchedule),
		now:      now,
		log:      opts.Logger,
		bg:       bg,
		nextID:   firstNotificationID,
		sent:     make(map[int64][]notification),
	}
}

// notify sends a new notification about p, unless it has no
// notification_url. It never blocks on delivery.
func (w *webhookSender) notify(p Payment, action string) {
	if p.NotificationURL == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := newNotification(w.nextID, p, action, w.now())
	if err != nil {
		w.log.Error("webhook not sent", "payment_id", p.ID, "error", err)
		return
	}
	w.nextID++
	w.sent[p.ID] = append(w.sent[p.ID], n)
	w.start([]notification{n}, sendOptions{})
}

// notifications returns what was sent about a payment, oldest first.
func (w *webhookSender) notifications(paymentID int64) []notification {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.sent[paymentID])
}

// start delivers ns one after the other, in one goroutine, so that they
// reach the receiver in that order.
func (w *webhookSender) start(ns []notification, opts sendOptions) {
	w.bg.run(func(ctx context.Context) {
		if !sleep(ctx, opts.delay) {
			return
		}
		for _, n := range ns {
			w.deliver(ctx, n, opts)
		}
	})
}

// deliver tries n once, then once more after each delay of the schedule,
// until the receiver answers 2xx or the fake is closed.
func (w *webhookSender) deliver(ctx context.Context, n notification, opts sendOptions) {
	for attempt := 1; ; attempt++ {
		d := w.attempt(ctx, n, attempt, opts)
		w.record(d)
		if d.OK() || attempt > len(w.schedule) || !sleep(ctx, w.schedule[attempt-1]) {
			return
		}
	}
}

func (w *webhookSender) record(d Delivery) {
	w.mu.Lock()
	w.deliveries = append(w.deliveries, d)
	if len(w.deliveries) >= 2*maxDeliveries {
		w.deliveries = append(make([]Delivery, 0, 2*maxDeliveries), w.deliveries[len(w.deliveries)-maxDeliveries:]...)
	}
	w.mu.Unlock()
	attrs := []any{"payment_id", d.PaymentID, "notification_id", d.NotificationID, "action", d.Action,
		"attempt", d.Attempt, "url", d.URL, "request_id", d.RequestID, "status", d.StatusCode, "duration", d.Duration}
	if d.Fault != "" {
		attrs = append(attrs, "fault", d.Fault)
	}
	if d.OK() {
		w.log.Info("webhook delivered", attrs...)
		return
	}
	w.log.Warn("webhook failed", append(attrs, "error", d.Error)...)
}

func (w *webhookSender) history() []Delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append(make([]Delivery, 0, len(w.deliveries)), w.deliveries...)
}

// forget drops every notification and the delivery log (a reset);
// deliveries already under way finish.
func (w *webhookSender) forget() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sent = make(map[int64][]notification)
	w.deliveries = nil
}
