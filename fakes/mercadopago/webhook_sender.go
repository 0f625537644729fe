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
	secret string
	client *http.Client
	clock  *clock
	log    *slog.Logger
	bg     *background

	mu         sync.Mutex
	nextID     int64
	schedule   []time.Duration
	variants   variantSet               // for every payment without its own
	byPayment  map[int64]variantSet     // a payment's own variants
	sent       map[int64][]notification // by payment, oldest first
	deliveries []Delivery               // at least the newest maxDeliveries, oldest first
}

// maxDeliveries bounds the delivery log, so that a fake under load for
// hours does not grow without end: it keeps at least the newest that many.
const maxDeliveries = 10_000

func newWebhookSender(opts Options, clock *clock, bg *background) *webhookSender {
	return &webhookSender{
		secret:    opts.WebhookSecret,
		client:    opts.HTTPClient,
		clock:     clock,
		log:       opts.Logger,
		bg:        bg,
		nextID:    firstNotificationID,
		schedule:  slices.Clone(opts.RetrySchedule),
		variants:  slices.Clone(opts.NotificationVariants),
		byPayment: make(map[int64]variantSet),
		sent:      make(map[int64][]notification),
	}
}

// notify sends the notifications of a change of p, unless it has no
// notification_url. It never blocks on delivery.
func (w *webhookSender) notify(p Payment, action string) {
	if p.NotificationURL == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	ns, err := newNotifications(w.newID, p, action, w.clock.now(), w.variantsOf(p.ID))
	if err != nil {
		w.log.Error("webhook not sent", "payment_id", p.ID, "error", err)
		return
	}
	w.sent[p.ID] = append(w.sent[p.ID], ns...)
	w.start(ns, sendOptions{})
}

// newID numbers a notification; w.mu is held.
func (w *webhookSender) newID() int64 {
	id := w.nextID
	w.nextID++
	return id
}

// variantsOf is how notifications about a payment are shaped; w.mu is held.
func (w *webhookSender) variantsOf(paymentID int64) variantSet {
	if vs, ok := w.byPayment[paymentID]; ok {
		return vs
	}
	return w.variants
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

// deliver tries n, then again on the retry schedule, counted on the fake's
// clock from the first attempt, until the receiver answers 2xx, the
// schedule runs out or the fake is closed.
func (w *webhookSender) deliver(ctx context.Context, n notification, opts sendOptions) {
	due := w.clock.now()
	for attempt := 1; ; attempt++ {
		d := w.attempt(ctx, n, attempt, opts)
		w.record(d)
		delay, again := w.retryDelay(attempt)
		if d.OK() || !again {
			return
		}
		due = due.Add(delay)
		if !w.clock.wait(ctx, due, delay) {
			return
		}
	}
}

// retryDelay is the wait after a failed attempt, if the schedule has one.
func (w *webhookSender) retryDelay(attempt int) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if attempt > len(w.schedule) {
		return 0, false
	}
	return w.schedule[attempt-1], true
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

// forget drops every notification, payment's variants and the delivery log
// (a reset); deliveries already under way finish.
func (w *webhookSender) forget() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.sent = make(map[int64][]notification)
	w.byPayment = make(map[int64]variantSet)
	w.deliveries = nil
}
