package mercadopago

import (
	"fmt"
	"slices"
	"time"
)

// NotificationSettings is how the fake notifies: the delays between a
// webhook's attempts, and the variants of every payment without its own.
// In an update, a field left out (null) keeps its value.
type NotificationSettings struct {
	RetrySchedule []Duration `json:"retry_schedule"`
	Variants      []Variant  `json:"variants"`
}

// PaymentVariants is how notifications about one payment are shaped; Own
// is false when the payment follows the fake's setting.
type PaymentVariants struct {
	PaymentID int64     `json:"payment_id"`
	Variants  []Variant `json:"variants"`
	Own       bool      `json:"own"`
}

// Notifications returns the retry schedule and the fake's variants.
func (f *Fake) Notifications() NotificationSettings { return f.webhooks.settings() }

// SetNotifications changes the retry schedule, the variants, or both; a
// delivery already waiting for its next attempt follows the new schedule
// from then on.
func (f *Fake) SetNotifications(s NotificationSettings) (NotificationSettings, error) {
	for _, d := range s.RetrySchedule {
		if d < 0 {
			return NotificationSettings{}, fmt.Errorf("%w: a retry delay must not be negative, got %s", ErrInvalidSetting, d)
		}
	}
	if err := checkVariants(s.Variants); err != nil {
		return NotificationSettings{}, err
	}
	f.webhooks.configure(s)
	return f.Notifications(), nil
}

// ResetNotifications puts the retry schedule and the variants back to the
// fake's options.
func (f *Fake) ResetNotifications() NotificationSettings {
	f.webhooks.configure(notificationDefaults(f.defaults))
	return f.Notifications()
}

// SetPaymentVariants shapes the notifications sent about payment id from
// now on by vs, whatever the fake's setting; nil goes back to it.
func (f *Fake) SetPaymentVariants(id int64, vs []Variant) (PaymentVariants, error) {
	if _, ok := f.Payment(id); !ok {
		return PaymentVariants{}, &notFoundError{id: id}
	}
	if err := checkVariants(vs); err != nil {
		return PaymentVariants{}, err
	}
	f.webhooks.setPaymentVariants(id, vs)
	return f.PaymentVariants(id)
}

// PaymentVariants returns how notifications about payment id are shaped.
func (f *Fake) PaymentVariants(id int64) (PaymentVariants, error) {
	if _, ok := f.Payment(id); !ok {
		return PaymentVariants{}, &notFoundError{id: id}
	}
	vs, own := f.webhooks.paymentVariants(id)
	return PaymentVariants{PaymentID: id, Variants: vs, Own: own}, nil
}

func notificationDefaults(o Options) NotificationSettings {
	return NotificationSettings{RetrySchedule: Durations(o.RetrySchedule), Variants: append([]Variant{}, o.NotificationVariants...)}
}

// Durations are ds as the control API writes them.
func Durations(ds []time.Duration) []Duration {
	out := make([]Duration, len(ds))
	for i, d := range ds {
		out[i] = Duration(d)
	}
	return out
}

func (w *webhookSender) settings() NotificationSettings {
	w.mu.Lock()
	defer w.mu.Unlock()
	return NotificationSettings{RetrySchedule: Durations(w.schedule), Variants: append([]Variant{}, w.variants...)}
}

func (w *webhookSender) configure(s NotificationSettings) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s.RetrySchedule != nil {
		w.schedule = make([]time.Duration, len(s.RetrySchedule))
		for i, d := range s.RetrySchedule {
			w.schedule[i] = time.Duration(d)
		}
	}
	if s.Variants != nil {
		w.variants = slices.Clone(s.Variants)
	}
}

func (w *webhookSender) setPaymentVariants(id int64, vs []Variant) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if vs == nil {
		delete(w.byPayment, id)
		return
	}
	w.byPayment[id] = slices.Clone(vs)
}

func (w *webhookSender) paymentVariants(id int64) ([]Variant, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	vs, own := w.byPayment[id]
	if !own {
		vs = w.variants
	}
	return append([]Variant{}, vs...), own
}
