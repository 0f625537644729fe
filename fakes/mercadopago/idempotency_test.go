package mercadopago_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/fakes/mercadopago"
)

// The key is looked up before the request is validated: a creation retried
// after its date_of_expiration passed gets the payment it made, not a 400;
// the same key with another body is a conflict even when that body would
// not validate.
func TestIdempotencyKeyBeforeValidation(t *testing.T) {
	t.Parallel()
	_, srv, clock := newTestFake(t)
	key, body := uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")
	body["date_of_expiration"] = clock.Now().Add(time.Minute).Format("2006-01-02T15:04:05.000-07:00")
	first := createdID(t, srv, key, body)

	clock.Advance(2 * time.Minute) // the retry comes after the code's expiry
	if again := createdID(t, srv, key, body); again != first {
		t.Errorf("a retry after date_of_expiration: payment %d, want the first, %d", again, first)
	}
	invalid := pixRequest("order-"+uuid.NewString(), "")
	invalid["transaction_amount"] = -1
	if status, raw := post(t, srv, key, invalid); status != http.StatusConflict {
		t.Errorf("the same key with another, invalid body: %d %s; want 409", status, raw)
	}
}

// A key is remembered for the idempotency TTL on the fake's clock; after
// it, the same key and body create another payment.
func TestIdempotencyKeysExpire(t *testing.T) {
	t.Parallel()
	clock := newTestClock()
	f, err := mercadopago.New(mercadopago.Options{AccessToken: testToken, WebhookSecret: testSecret, Now: clock.Now,
		SweepInterval: time.Hour, IdempotencyTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	srv := serve(t, f)
	key, body := uuid.NewString(), pixRequest("order-"+uuid.NewString(), "")
	first := createdID(t, srv, key, body)
	clock.Advance(59 * time.Minute)
	if again := createdID(t, srv, key, body); again != first {
		t.Errorf("within the TTL: payment %d, want %d", again, first)
	}
	clock.Advance(2 * time.Minute)
	if after := createdID(t, srv, key, body); after == first {
		t.Errorf("after the TTL the key still answers payment %d; want a new one", after)
	}
}
