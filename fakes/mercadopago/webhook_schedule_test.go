package mercadopago_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// newScheduledFake serves a fake with Mercado Pago's own retry schedule
// and a clock that stands still unless the test moves it.
func newScheduledFake(t *testing.T, schedule []time.Duration) (*mercadopago.Fake, *httptest.Server) {
	t.Helper()
	f, err := mercadopago.New(mercadopago.Options{
		AccessToken: testToken, WebhookSecret: testSecret, Now: newTestClock().Now,
		RetrySchedule: schedule, SweepInterval: time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f, serve(t, f)
}

// TestRetriesFollowMercadoPagosScheduleOnTheFakesClock: a receiver that
// keeps failing gets the first attempt and one retry 15 minutes, 30
// minutes, 6 hours, 48 hours and 96 hours after it, played by moving the
// fake's clock, not by waiting.
func TestRetriesFollowMercadoPagosScheduleOnTheFakesClock(t *testing.T) {
	t.Parallel()
	f, srv := newScheduledFake(t, nil)
	hook := newReceiver(t, always(http.StatusInternalServerError))
	p := createdID(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), hook.url()))
	eventually(t, 30*time.Second, "the first attempt", func() bool { return len(f.Deliveries()) == 1 })
	first := f.Deliveries()[0].Time
	// attempts are the creation's: the PIX code expires on the way, and its
	// own notification has its own attempts.
	attempts := func() (out []mercadopago.Delivery) {
		for _, d := range f.Deliveries() {
			if d.Action == "payment.created" {
				out = append(out, d)
			}
		}
		return out
	}

	// Each step moves the clock to just before the next retry, then past it:
	// the retry must happen after the second move, not the first.
	for i, at := range []time.Duration{15 * time.Minute, 30 * time.Minute, 6 * time.Hour, 48 * time.Hour, 96 * time.Hour} {
		advanceTo(t, f, first.Add(at-time.Second))
		advanceTo(t, f, first.Add(at+time.Minute))
		eventually(t, 30*time.Second, "the next retry", func() bool { return len(attempts()) == i+2 })
		d := attempts()[i+1]
		if d.Attempt != i+2 || d.PaymentID != p || d.Time.Before(first.Add(at)) {
			t.Errorf("retry %d = attempt %d at %s; want attempt %d at %s after the first", i+1, d.Attempt, d.Time.Sub(first), i+2, at)
		}
	}
}

// TestAnAttemptEndsWhenTheFakesClockPassesItsTimeout: a receiver that never
// answers loses the attempt once 22 s pass on the fake's clock.
func TestAnAttemptEndsWhenTheFakesClockPassesItsTimeout(t *testing.T) {
	t.Parallel()
	f, srv := newScheduledFake(t, []time.Duration{time.Minute})
	var arrived atomic.Int32
	stop := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		select { // answers nothing until the fake gives up
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(stop) })
	createdID(t, srv, uuid.NewString(), pixRequest("order-"+uuid.NewString(), hang.URL))
	eventually(t, 30*time.Second, "the first attempt to reach the receiver", func() bool { return arrived.Load() == 1 })
	if _, err := f.AdvanceClock(22 * time.Second); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the attempt to end", func() bool { return len(f.Deliveries()) == 1 })
	if d := f.Deliveries()[0]; d.OK() || !strings.Contains(d.Error, "no answer within 22s") {
		t.Errorf("the hanging attempt = %+v; want failed, with no answer within 22s", d)
	}
	if _, err := f.AdvanceClock(time.Minute); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the retry", func() bool { return arrived.Load() == 2 })
}

// TestRetryScheduleSetting: the control API changes the schedule and
// Reset puts the configured one back.
func TestRetryScheduleSetting(t *testing.T) {
	t.Parallel()
	f, srv := newScheduledFake(t, nil)
	status, raw := controlSend(t, http.MethodPut, srv.URL+"/_fake/notifications", `{"retry_schedule":["1s","2s"],"variants":["ts_millis"]}`)
	if status != http.StatusOK || !strings.Contains(string(raw), `"retry_schedule":["1s","2s"]`) || !strings.Contains(string(raw), `"variants":["ts_millis"]`) {
		t.Errorf("PUT /_fake/notifications = %d %s", status, raw)
	}
	if status, raw := controlSend(t, http.MethodPut, srv.URL+"/_fake/notifications", `{"variants":["sideways"]}`); status != http.StatusBadRequest ||
		!strings.Contains(string(raw), "sideways") {
		t.Errorf("an unknown variant = %d %s; want 400 naming it", status, raw)
	}
	f.Reset()
	got := f.Notifications()
	if len(got.RetrySchedule) != 5 || time.Duration(got.RetrySchedule[0]) != 15*time.Minute || len(got.Variants) != 0 {
		t.Errorf("after a reset: %+v; want Mercado Pago's schedule and no variant", got)
	}
}

func TestParseRetrySchedule(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"mercadopago": 5, "quick": 4, "none": 0, "1s, 2s": 2} {
		if got, err := mercadopago.ParseRetrySchedule(in); err != nil || len(got) != want {
			t.Errorf("ParseRetrySchedule(%q) = %v, %v; want %d delays", in, got, err, want)
		}
	}
	for _, in := range []string{"", "soon", "1s,-2s"} {
		if _, err := mercadopago.ParseRetrySchedule(in); err == nil {
			t.Errorf("ParseRetrySchedule(%q) took it", in)
		}
	}
}

// advanceTo moves the fake's clock to at.
func advanceTo(t *testing.T, f *mercadopago.Fake, at time.Time) {
	t.Helper()
	if _, err := f.AdvanceClock(at.Sub(f.Clock().Now)); err != nil {
		t.Fatal(err)
	}
}
