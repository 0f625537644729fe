package main

// The floor's steps: one order, straight-line, as floor.go describes.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/services/events"
	ordersvc "github.com/comanda/comanda/services/order"
	paymentsvc "github.com/comanda/comanda/services/payment"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/postgres"
	kitchensvc "github.com/comanda/comanda/services/production"
)

// floorWorker carries one order at a time through the flow, on a queue of
// its own.
type floorWorker struct {
	f     *floor
	queue string // its name, in the outbox's queue column
	url   string
}

// floorOrder is one order on its way.
type floorOrder struct {
	id          string
	correlation string
	next        string // the id of the event the next step takes
	providerID  int64  // Mercado Pago's payment id
	recordID    string // the kitchen record's id
}

// floorStep is one step of the flow.
type floorStep struct {
	name string
	run  func(context.Context, *floorOrder) error
}

// order carries one order through every step.
func (w *floorWorker) order(ctx context.Context) error {
	o := &floorOrder{correlation: uuid.NewString()}
	for _, s := range w.steps() {
		if err := s.run(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func (w *floorWorker) steps() []floorStep {
	return []floorStep{
		{"place the order", w.place},
		{"relay order-payment-requested", w.relay},
		{"create the payment", w.consume(w.createPayment)},
		{"apply payment-created", w.consume(w.applyToOrder)},
		{"webhook", w.approve},
		{"apply payment-completed", w.consume(w.applyToOrder)},
		{"relay order-paid", w.relay},
		{"make the kitchen record", w.consume(w.receiveInKitchen)},
		{"kitchen started", w.moveInKitchen("started")},
		{"apply production-started", w.consume(w.applyToOrder)},
		{"kitchen completed", w.moveInKitchen("completed")},
		{"apply production-completed", w.consume(w.applyToOrder)},
	}
}

// place is the order service's Place: price the lines from the catalog's
// database (the catalog service's query), then store the order with its
// payment request in the outbox.
func (w *floorWorker) place(ctx context.Context, o *floorOrder) error {
	items, err := w.f.price(ctx)
	if err != nil {
		return err
	}
	ord := ordersvc.New(uuid.NewString(), ordersvc.Customer{ID: uuid.NewString(), Name: "Floor"}, items, floorNow())
	env, err := events.New(events.OrderPaymentRequested, events.OrderService, events.PaymentService, o.correlation,
		events.OrderPaymentRequestedPayload{OrderID: ord.ID, CustomerID: ord.Customer.ID, CustomerName: ord.Customer.Name,
			AmountCents: int64(ord.Total), Items: eventItems(ord.Items)})
	if err != nil {
		return err
	}
	o.id, o.next = ord.ID, env.Meta.EventID
	return w.f.orders.Create(ctx, ord, 0, ordersvc.Message{Queue: w.queue, Envelope: env})
}

// price reads the menu's products as GET /products?ids= does.
func (f *floor) price(ctx context.Context) ([]ordersvc.Item, error) {
	rows, _ := f.catalog.Query(ctx, `SELECT p.id, p.name, p.description, p.price_cents, p.image_url,
		p.preparation_time, p.category_id, c.name, p.created_at, p.updated_at
		FROM products p JOIN categories c ON c.id = p.category_id WHERE p.id = ANY($1::uuid[])
		ORDER BY c.name, lower(p.name), p.id`, f.menu)
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ordersvc.Item, error) {
		var it ordersvc.Item
		var description, image, categoryID, category string
		var prepTime int
		var created, updated time.Time
		err := row.Scan(&it.ProductID, &it.Name, &description, &it.UnitPrice, &image, &prepTime, &categoryID, &category, &created, &updated)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("price the order: %w", err)
	}
	for i := range items {
		items[i].Quantity = i + 1
	}
	return items, nil
}

// relay is the order service's outbox relay (outbox.Relay) for this
// worker's rows: lock them, publish them, delete them, in one transaction.
func (w *floorWorker) relay(ctx context.Context, _ *floorOrder) error {
	return postgres.InTx(ctx, w.f.ordersDB, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, queue, body FROM outbox WHERE queue = $1 ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`, w.queue)
		var ids []int64
		var bodies [][]byte
		var id int64
		var queue, body string
		if _, err := pgx.ForEachRow(rows, []any{&id, &queue, &body}, func() error {
			ids, bodies = append(ids, id), append(bodies, []byte(body))
			return nil
		}); err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		if len(ids) == 0 {
			return errors.New("nothing in the outbox")
		}
		if err := w.send(ctx, bodies...); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, ids)
		return err
	})
}

// send is queue.Publisher.PublishBodies: ten messages to a batch.
func (w *floorWorker) send(ctx context.Context, bodies ...[]byte) error {
	for chunk := range slices.Chunk(bodies, 10) {
		entries := make([]sqstypes.SendMessageBatchRequestEntry, len(chunk))
		for i, b := range chunk {
			entries[i] = sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(b))}
		}
		out, err := w.f.sqs.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(w.url), Entries: entries})
		if err != nil {
			return fmt.Errorf("send: %w", err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("send: %d of %d messages refused", len(out.Failed), len(entries))
		}
	}
	return nil
}

// publish sends env and makes it the event the flow waits for.
func (w *floorWorker) publish(ctx context.Context, o *floorOrder, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return err
	}
	o.next = env.Meta.EventID
	return w.send(ctx, body)
}

// consume is queue.Consumer for one message: receive the event the flow
// waits for, handle it, delete it.
func (w *floorWorker) consume(handle func(context.Context, *floorOrder, events.Envelope) error) func(context.Context, *floorOrder) error {
	return func(ctx context.Context, o *floorOrder) error {
		env, receipt, err := w.receive(ctx, o.next)
		if err != nil {
			return err
		}
		if err := handle(ctx, o, env); err != nil {
			return err
		}
		_, err = w.f.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(w.url), ReceiptHandle: receipt})
		return err
	}
}

// receive returns event eventID from the worker's queue, asking as the
// consumer does. Any other message is what a failed order left: it is deleted.
func (w *floorWorker) receive(ctx context.Context, eventID string) (events.Envelope, *string, error) {
	for range 3 {
		out, err := w.f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(w.url), MaxNumberOfMessages: 8, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount},
		})
		if err != nil {
			return events.Envelope{}, nil, fmt.Errorf("receive: %w", err)
		}
		var found *sqstypes.Message
		var env events.Envelope
		for _, m := range out.Messages {
			if e, err := events.Parse([]byte(aws.ToString(m.Body))); err == nil && e.Meta.EventID == eventID {
				found, env = &m, e
				continue
			}
			if _, err := w.f.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(w.url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				return events.Envelope{}, nil, fmt.Errorf("delete a stray message: %w", err)
			}
		}
		if found != nil {
			return env, found.ReceiptHandle, nil
		}
	}
	return events.Envelope{}, nil, fmt.Errorf("event %s never arrived", eventID)
}

// createPayment is the payment service's HandlePaymentRequested.
func (w *floorWorker) createPayment(ctx context.Context, o *floorOrder, env events.Envelope) error {
	var req events.OrderPaymentRequestedPayload
	if err := env.Decode(&req); err != nil {
		return err
	}
	id := paymentsvc.IDForOrder(req.OrderID)
	if _, err := w.f.payments.Get(ctx, id); !errors.Is(err, paymentsvc.ErrPaymentNotFound) {
		return errors.Join(err, fmt.Errorf("payment %s exists before its creation", id))
	}
	pix := pixRequest(req, env.Meta.EventDate)
	mp, err := w.f.mp.CreatePix(ctx, pix)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	p := paymentsvc.Payment{ID: id, OrderID: req.OrderID, CustomerID: req.CustomerID, Status: paymentsvc.StatusPending,
		Amount: money.Cents(req.AmountCents), ProviderPaymentID: mp.ID, QRCode: mp.QRCode, QRCodeBase64: mp.QRCodeBase64,
		TicketURL: mp.TicketURL, ExpiresAt: orTime(mp.ExpiresAt, pix.ExpiresAt), CreatedAt: now, UpdatedAt: now,
		CorrelationID: env.Meta.CorrelationID}
	if err := w.f.payments.Create(ctx, p); err != nil {
		return err
	}
	o.providerID = mp.ID
	return w.publishPayment(ctx, o, events.PaymentCreated, p)
}

// pixRequest is the payment service's: the same body on every delivery.
func pixRequest(req events.OrderPaymentRequestedPayload, requestedAt time.Time) paymentsvc.PixRequest {
	return paymentsvc.PixRequest{
		IdempotencyKey: paymentsvc.IdempotencyKey(req.OrderID), Amount: money.Cents(req.AmountCents),
		PayerEmail: req.CustomerID + "@customers.comanda.local", Description: "Comanda order " + req.OrderID[:8],
		ExternalReference: req.OrderID, ExpiresAt: requestedAt.Truncate(time.Second).Add(30 * time.Minute).UTC(),
		Metadata: map[string]any{"order_id": req.OrderID, "payment_id": paymentsvc.IDForOrder(req.OrderID)},
	}
}

func orTime(t, otherwise time.Time) time.Time {
	if t.IsZero() {
		return otherwise
	}
	return t
}

// publishPayment tells the order service where p stands (payments.publish).
func (w *floorWorker) publishPayment(ctx context.Context, o *floorOrder, name string, p paymentsvc.Payment) error {
	env, err := events.New(name, events.PaymentService, events.OrderService, p.CorrelationID, events.PaymentPayload{
		PaymentID: p.ID, OrderID: p.OrderID, Status: string(p.Status), AmountCents: int64(p.Amount),
		ProviderPaymentID: p.ProviderPaymentID, QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64,
		TicketURL: p.TicketURL, ExpiresAt: p.ExpiresAt,
	})
	if err != nil {
		return err
	}
	return w.publish(ctx, o, env)
}

// approve approves the payment at the fake, in place of the webhook's
// delivery, then does what the webhook's handler does (HandleNotification):
// read the payment back from Mercado Pago, then settle and publish ours.
func (w *floorWorker) approve(ctx context.Context, o *floorOrder) error {
	if err := w.f.approveAtFake(ctx, o.providerID); err != nil {
		return err
	}
	mp, err := w.f.mp.Payment(ctx, o.providerID)
	if err != nil {
		return err
	}
	if mp.Status != "approved" {
		return fmt.Errorf("payment %d is %s at Mercado Pago, not approved", mp.ID, mp.Status)
	}
	p, changed, err := w.f.payments.Settle(ctx, paymentsvc.IDForOrder(mp.ExternalReference), mp.ID, mp.Amount, paymentsvc.StatusApproved, time.Now())
	if err != nil || !changed {
		return errors.Join(err, fmt.Errorf("payment %s was %s already", p.ID, p.Status))
	}
	return w.publishPayment(ctx, o, events.PaymentCompleted, p)
}

// approveAtFake approves payment id through the fake's control API; one
// approved already (the load tool's auto-approval) is as good.
func (f *floor) approveAtFake(ctx context.Context, id int64) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.fakeURL+"/_fake/payments/"+strconv.FormatInt(id, 10)+"/approve", nil)
	if err != nil {
		return err
	}
	res, err := f.fake.Do(req)
	if err != nil {
		return fmt.Errorf("approve payment %d: %w", id, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusConflict {
		return fmt.Errorf("approve payment %d: %s %s", id, res.Status, raw)
	}
	return nil
}

// applyToOrder is the order service's handling of an event on its queue
// (ApplyPayment, ApplyKitchen): one Store.Update, the event recorded in it;
// entering PAID writes order-paid to the outbox.
func (w *floorWorker) applyToOrder(ctx context.Context, o *floorOrder, env events.Envelope) error {
	orderID, trigger, snapshot, err := orderTrigger(env)
	if err != nil {
		return err
	}
	o.next = ""
	_, err = w.f.orders.Update(ctx, orderID, env.Meta.EventID, func(ord *ordersvc.Order) ([]ordersvc.Message, error) {
		now := floorNow()
		if snapshot != nil && ord.RecordPayment(*snapshot) {
			ord.UpdatedAt = now
		}
		entered, err := ord.Apply(trigger, now)
		if err != nil || !slices.Contains(entered, ordersvc.StatusPaid) {
			return nil, err
		}
		paid, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, env.Meta.CorrelationID,
			events.OrderPaidPayload{OrderID: ord.ID, CustomerID: ord.Customer.ID, CustomerName: ord.Customer.Name,
				Items: eventItems(ord.Items), PaidAt: ord.UpdatedAt})
		if err != nil {
			return nil, err
		}
		o.next = paid.Meta.EventID
		return []ordersvc.Message{{Queue: w.queue, Envelope: paid}}, nil
	})
	return err
}

// orderTrigger reads what an event on the order service's queue asks of
// the order (eventHandlers).
func orderTrigger(env events.Envelope) (orderID string, t ordersvc.Trigger, snapshot *ordersvc.Payment, err error) {
	switch name := env.Meta.EventName; name {
	case events.PaymentCreated, events.PaymentCompleted:
		var p events.PaymentPayload
		if err := env.Decode(&p); err != nil {
			return "", "", nil, err
		}
		expires := p.ExpiresAt.UTC()
		t, err := ordersvc.PaymentTrigger(p.Status)
		return p.OrderID, t, &ordersvc.Payment{ID: p.PaymentID, Status: p.Status, QRCode: p.QRCode,
			QRCodeBase64: p.QRCodeBase64, TicketURL: p.TicketURL, ExpiresAt: &expires}, err
	case events.ProductionStarted, events.ProductionCompleted:
		var p events.ProductionPayload
		if err := env.Decode(&p); err != nil {
			return "", "", nil, err
		}
		t := ordersvc.TriggerKitchenStarted
		if name == events.ProductionCompleted {
			t = ordersvc.TriggerKitchenCompleted
		}
		return p.OrderID, t, nil, nil
	default:
		return "", "", nil, fmt.Errorf("no handler for %s", name)
	}
}

// receiveInKitchen is the production service's HandleOrderPaid.
func (w *floorWorker) receiveInKitchen(ctx context.Context, o *floorOrder, env events.Envelope) error {
	var p events.OrderPaidPayload
	if err := env.Decode(&p); err != nil {
		return err
	}
	rec, err := kitchensvc.NewRecord(p, time.Now())
	if err != nil {
		return err
	}
	created, err := w.f.kitchen.Create(ctx, rec)
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("kitchen record %s exists before its creation", rec.ID)
	}
	o.recordID = rec.ID
	return nil
}

// moveInKitchen is the production service's Kitchen.Advance: the move and
// its announcement in one transaction, then the announcement published and
// taken out of the kitchen's outbox.
func (w *floorWorker) moveInKitchen(action string) func(context.Context, *floorOrder) error {
	t, _ := kitchensvc.TransitionFor(action)
	return func(ctx context.Context, o *floorOrder) error {
		var env events.Envelope
		_, err := w.f.kitchen.Transition(ctx, o.recordID, t, time.Now(), func(moved kitchensvc.Record) (events.Envelope, error) {
			var err error
			env, err = events.New(t.Event, events.ProductionService, events.OrderService, o.correlation, events.ProductionPayload{
				ProductionID: moved.ID, OrderID: moved.OrderID, Status: string(moved.Status), At: moved.UpdatedAt})
			return env, err
		})
		if err != nil {
			return err
		}
		if err := w.publish(ctx, o, env); err != nil {
			return err
		}
		return w.f.kitchen.Sent(ctx, []string{env.Meta.EventID})
	}
}

// floorNow is the order service's clock: UTC, to the millisecond.
func floorNow() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

func eventItems(items []ordersvc.Item) []events.OrderItem {
	out := make([]events.OrderItem, len(items))
	for i, it := range items {
		out[i] = events.OrderItem{ProductID: it.ProductID, Name: it.Name, Quantity: it.Quantity, UnitPriceCents: int64(it.UnitPrice)}
	}
	return out
}
