package mercadopago

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrInvalidSetting is returned for a clock move or an auto-approve delay
// that makes no sense.
var ErrInvalidSetting = errors.New("invalid setting")

// Clock returns the fake's time and how far it was moved ahead.
func (f *Fake) Clock() ClockState {
	return ClockState{Now: f.now(), Offset: Duration(f.clock.currentOffset())}
}

// AdvanceClock moves the fake's clock forward by d, then at once expires
// the pending payments it passed, whose webhooks follow.
func (f *Fake) AdvanceClock(d time.Duration) (ClockState, error) {
	if d <= 0 {
		return ClockState{}, fmt.Errorf("%w: the clock only moves forward, got %s", ErrInvalidSetting, d)
	}
	f.clock.advance(d)
	f.expireDue()
	f.changed()
	return f.Clock(), nil
}

// ResetClock puts the fake's clock back on the base clock. Payments keep
// the dates they were given.
func (f *Fake) ResetClock() ClockState {
	f.clock.setOffset(0)
	f.changed()
	return f.Clock()
}

// AutoApprove returns the auto-approve delay; 0 means off.
func (f *Fake) AutoApprove() time.Duration { return time.Duration(f.autoApprove.Load()) }

// SetAutoApprove makes every payment created from now on approved d after
// its creation (real time); 0 turns it off.
func (f *Fake) SetAutoApprove(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("%w: auto-approve delay must not be negative, got %s", ErrInvalidSetting, d)
	}
	f.autoApprove.Store(int64(d))
	return nil
}

// scheduleAutoApprove approves a new payment after the auto-approve delay,
// if it is still pending then.
func (f *Fake) scheduleAutoApprove(id int64) {
	d := f.AutoApprove()
	if d <= 0 {
		return
	}
	f.bg.after(d, func(ctx context.Context) {
		_, err := f.Approve(ctx, id)
		if err != nil && !errors.Is(err, ErrInvalidTransition) && !errors.Is(err, ErrNotFound) {
			f.log.Warn("auto-approve failed", "payment_id", id, "error", err)
		}
	})
}

// FailNext makes the next count API calls (only creations with
// a.CreateOnly) meet fault a.
func (f *Fake) FailNext(count int, a APIFault) (Faults, error) { return f.faults.failNext(count, a) }

// StartOutage makes every API call (only creations with a.CreateOnly) meet
// fault a until EndOutage.
func (f *Fake) StartOutage(a APIFault) (Faults, error) { return f.faults.startOutage(a) }

// EndOutage brings the API back.
func (f *Fake) EndOutage() Faults { return f.faults.endOutage() }

// ClearFaults lifts every API fault and zeroes the counters.
func (f *Fake) ClearFaults() Faults { return f.faults.clear() }

// Faults returns the API faults in force and the calls they met.
func (f *Fake) Faults() Faults { return f.faults.current() }

// Reset empties the fake: no payments, notifications, deliveries or
// faults, the clock on the base clock, auto-approve, payload drift, the
// retry schedule and the notification variants as configured. Payment
// ids keep counting, so that no id is ever given twice; deliveries under
// way finish.
func (f *Fake) Reset() {
	f.store.restore(storeState{})
	f.webhooks.forget()
	f.ResetNotifications()
	f.faults.clear()
	f.clock.setOffset(0)
	f.autoApprove.Store(int64(f.defaults.AutoApproveAfter))
	f.drift.Store(f.defaults.Drift)
	f.changed()
	f.log.Info("reset")
}
