package main

// The floor's payment service: a payment created at Mercado Pago and
// stored in DynamoDB, then settled when Mercado Pago approves it.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// paymentItem is a payment as the payment service stores it.
type paymentItem struct {
	ID                string    `dynamodbav:"id"`
	OrderID           string    `dynamodbav:"order_id"`
	CustomerID        string    `dynamodbav:"customer_id"`
	Status            string    `dynamodbav:"status"`
	AmountCents       int64     `dynamodbav:"amount_cents"`
	Provider          string    `dynamodbav:"provider"`
	ProviderPaymentID int64     `dynamodbav:"provider_payment_id"`
	QRCode            string    `dynamodbav:"qr_code"`
	QRCodeBase64      string    `dynamodbav:"qr_code_base64"`
	TicketURL         string    `dynamodbav:"ticket_url"`
	ExpiresAt         time.Time `dynamodbav:"expires_at"`
	CreatedAt         time.Time `dynamodbav:"created_at"`
	UpdatedAt         time.Time `dynamodbav:"updated_at"`
	CorrelationID     string    `dynamodbav:"correlation_id,omitempty"`
}

// createPayment handles a payment request: no payment yet for the order,
// so one is created at Mercado Pago, stored, and announced.
func (w *floorWorker) createPayment(ctx context.Context, o *floorOrder, env events.Envelope) error {
	var req events.OrderPaymentRequestedPayload
	if err := env.Decode(&req); err != nil {
		return err
	}
	p := paymentItem{ID: uuid.NewString(), OrderID: req.OrderID, CustomerID: req.CustomerID, Status: "PENDING",
		AmountCents: req.AmountCents, Provider: "mercadopago", CorrelationID: env.Meta.CorrelationID}
	if err := w.f.paymentAbsent(ctx, p.ID); err != nil {
		return err
	}
	mp, err := w.f.mp.createPix(ctx, pixFor(req, p.ID, env.Meta.EventDate))
	if err != nil {
		return err
	}
	p.CreatedAt = time.Now().UTC()
	p.UpdatedAt, p.ProviderPaymentID, p.ExpiresAt = p.CreatedAt, mp.ID, mp.ExpiresAt
	p.QRCode, p.QRCodeBase64, p.TicketURL = mp.QRCode, mp.QRCodeBase64, mp.TicketURL
	av, err := attributevalue.MarshalMap(p)
	if err != nil {
		return err
	}
	if _, err := w.f.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(w.f.payments), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(id)")}); err != nil {
		return fmt.Errorf("store payment %s: %w", p.ID, err)
	}
	o.payment = p
	return w.publishPayment(ctx, o, events.PaymentCreated)
}

// paymentAbsent reads payment id, strongly consistent, and expects none.
func (f *floor) paymentAbsent(ctx context.Context, id string) error {
	out, err := f.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(f.payments),
		Key: idKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return fmt.Errorf("read payment %s: %w", id, err)
	}
	if out.Item != nil {
		return fmt.Errorf("payment %s exists before its creation", id)
	}
	return nil
}

// publishPayment tells the order service where the order's payment stands.
func (w *floorWorker) publishPayment(ctx context.Context, o *floorOrder, name string) error {
	p := o.payment
	env, err := events.New(name, events.PaymentService, events.OrderService, p.CorrelationID, events.PaymentPayload{
		PaymentID: p.ID, OrderID: p.OrderID, Status: p.Status, AmountCents: p.AmountCents,
		ProviderPaymentID: p.ProviderPaymentID, QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64,
		TicketURL: p.TicketURL, ExpiresAt: p.ExpiresAt,
	})
	if err != nil {
		return err
	}
	return w.publish(ctx, o, env)
}

// approve approves the payment at the fake, in place of the webhook's
// delivery, then does what the webhook's handler does: read the payment
// back from Mercado Pago, then settle and announce ours.
func (w *floorWorker) approve(ctx context.Context, o *floorOrder) error {
	if err := w.f.approveAtFake(ctx, o.payment.ProviderPaymentID); err != nil {
		return err
	}
	status, err := w.f.mp.status(ctx, o.payment.ProviderPaymentID)
	if err != nil {
		return err
	}
	if status != "approved" {
		return fmt.Errorf("payment %d is %s at Mercado Pago, not approved", o.payment.ProviderPaymentID, status)
	}
	if o.payment, err = w.f.settle(ctx, o.payment, time.Now()); err != nil {
		return err
	}
	return w.publishPayment(ctx, o, events.PaymentCompleted)
}

// settle moves p from PENDING to APPROVED in one conditional UpdateItem,
// and returns it as stored.
func (f *floor) settle(ctx context.Context, p paymentItem, at time.Time) (paymentItem, error) {
	out, err := f.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(f.payments), Key: idKey(p.ID),
		UpdateExpression: aws.String("SET #status = :to, updated_at = :at"),
		ConditionExpression: aws.String("attribute_exists(id) AND #status = :pending" +
			" AND provider_payment_id = :provider AND amount_cents = :amount"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":to":       &types.AttributeValueMemberS{Value: "APPROVED"},
			":pending":  &types.AttributeValueMemberS{Value: "PENDING"},
			":at":       &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
			":provider": &types.AttributeValueMemberN{Value: strconv.FormatInt(p.ProviderPaymentID, 10)},
			":amount":   &types.AttributeValueMemberN{Value: strconv.FormatInt(p.AmountCents, 10)},
		},
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err != nil {
		return p, fmt.Errorf("settle payment %s: %w", p.ID, err)
	}
	var settled paymentItem
	return settled, attributevalue.UnmarshalMap(out.Attributes, &settled)
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

func idKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}
