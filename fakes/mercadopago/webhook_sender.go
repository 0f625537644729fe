package mercadopago

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"
)

// webhookSender delivers notifications in the background, one goroutine
// per notification, and keeps the log of every attempt.
type webhookSender struct {
	secret   string
	client   *http.Client
	schedule []time.Duration
	now      func() time.Time
	log      *slog.Logger

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	closed     bool
	nextID     int64
	last       map[int64]notification
	deliveries []Delivery
}

func newWebhookSender(opts Options) *webhookSender {
	ctx, cancel := context.WithCancel(context.Background())
	return &webhookSender{
		secret:   opts.WebhookSecret,
		client:   opts.HTTPClient,
		schedule: slices.Clone(opts.RetrySchedule),
		now:      opts.Now,
		log:      opts.Logger,
		ctx:      ctx,
		cancel:   cancel,
		nextID:   firstNotificationID,
		last:     make(map[int64]notification),
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
	w.last[p.ID] = n
	w.startLocked(n)
}

// resend sends the last notification about the payment again; it reports
// false if there was none.
func (w *webhookSender) resend(paymentID int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, ok := w.last[paymentID]
	if ok {
		w.startLocked(n)
	}
	return ok
}

// startLocked starts delivering n; w.mu must be held so that close cannot
// run between the closed check and wg.Add.
func (w *webhookSender) startLocked(n notification) {
	if w.closed {
		return
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.deliver(n)
	}()
}

// deliver tries n once, then once more after each delay of the schedule,
// until the receiver answers 2xx or the sender is closed.
func (w *webhookSender) deliver(n notification) {
	for attempt := 1; ; attempt++ {
		d := w.attempt(n, attempt)
		w.record(d)
		if d.OK() || attempt > len(w.schedule) {
			return
		}
		timer := time.NewTimer(w.schedule[attempt-1])
		select {
		case <-w.ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

func (w *webhookSender) record(d Delivery) {
	w.mu.Lock()
	w.deliveries = append(w.deliveries, d)
	w.mu.Unlock()
	attrs := []any{"payment_id", d.PaymentID, "notification_id", d.NotificationID, "action", d.Action,
		"attempt", d.Attempt, "url", d.URL, "request_id", d.RequestID, "status", d.StatusCode, "duration", d.Duration}
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

func (w *webhookSender) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.cancel()
	w.wg.Wait()
}
