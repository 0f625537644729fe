package mercadopago

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// wrongSecret signs the webhooks a test wants refused: a key that is not
// the application's.
const wrongSecret = "not-the-webhook-secret"

// ResendOptions says how notifications already sent about a payment are
// sent again. The fake never makes a notification up: it only repeats the
// ones its state changes produced, so every payload is backed by the state.
type ResendOptions struct {
	Count        int           // how many times; at least once
	First        bool          // the payment's first notification, not its last
	BadSignature bool          // signed with a wrong secret: the receiver must refuse it
	Delay        time.Duration // wait this long before sending
}

// sendOptions is how a delivery goroutine sends.
type sendOptions struct {
	delay  time.Duration
	secret string // empty: the webhook secret
	fault  string // written into the delivery log
}

func (o ResendOptions) send() sendOptions {
	var faults []string
	s := sendOptions{delay: max(o.Delay, 0)}
	if o.BadSignature {
		s.secret = wrongSecret
		faults = append(faults, "bad_signature")
	}
	if o.Delay > 0 {
		faults = append(faults, "delayed "+o.Delay.String())
	}
	if o.First {
		faults = append(faults, "first_again")
	}
	s.fault = strings.Join(faults, ",")
	return s
}

// Resend sends one of the payment's notifications again, as Mercado Pago
// does when it redelivers: the same body (same notification id), each time
// a new delivery with its own x-request-id and signature.
func (f *Fake) Resend(ctx context.Context, id int64, opts ResendOptions) (Payment, error) {
	p, sent, err := f.sentAbout(ctx, "resend", id)
	if err != nil {
		return Payment{}, err
	}
	n := sent[len(sent)-1]
	if opts.First {
		n = sent[0]
	}
	send := opts.send()
	for range max(opts.Count, 1) {
		f.webhooks.start([]notification{n}, send)
	}
	return p, nil
}

// ResendOutOfOrder sends every notification about the payment again,
// newest first: the receiver sees its changes in the reverse of the order
// they happened in, the final state's before the creation's.
func (f *Fake) ResendOutOfOrder(ctx context.Context, id int64) (Payment, error) {
	p, sent, err := f.sentAbout(ctx, "resend out of order", id)
	if err != nil {
		return Payment{}, err
	}
	slices.Reverse(sent)
	f.webhooks.start(sent, sendOptions{fault: "out_of_order"})
	return p, nil
}

// sentAbout returns the payment and the notifications sent about it, or
// why there is nothing to send again.
func (f *Fake) sentAbout(ctx context.Context, what string, id int64) (Payment, []notification, error) {
	if err := ctx.Err(); err != nil {
		return Payment{}, nil, fmt.Errorf("%s payment %d: %w", what, id, err)
	}
	p, ok := f.Payment(id)
	if !ok {
		return Payment{}, nil, &notFoundError{id: id}
	}
	sent := f.webhooks.notifications(id)
	if len(sent) == 0 {
		return Payment{}, nil, fmt.Errorf("%s payment %d: %w", what, id, ErrNoNotificationURL)
	}
	return p, sent, nil
}
