package payment

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/platform/dynamo"
	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// OrderIndex is the global secondary index on order_id (topology.json).
const OrderIndex = "order_id-index"

// store keeps payments in DynamoDB, one item per payment, keyed by id.
// Items "event#<id>" in the table are markers nothing reads; they expire
// by their TTL.
type store struct {
	db    *dynamodb.Client
	table string
}

// newStore returns a store on table.
func newStore(db *dynamodb.Client, table string) *store {
	return &store{db: db, table: table}
}

// item is a payment as stored.
type item struct {
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
	FailureReason     string    `dynamodbav:"failure_reason,omitempty"`
	Reversal          string    `dynamodbav:"reversal,omitempty"`
	TraceParent       string    `dynamodbav:"trace_parent,omitempty"`
	TraceState        string    `dynamodbav:"trace_state,omitempty"`
}

func toItem(p Payment) item {
	return item{
		ID: p.ID, OrderID: p.OrderID, CustomerID: p.CustomerID, Status: string(p.Status),
		AmountCents: int64(p.Amount), Provider: ProviderName, ProviderPaymentID: p.ProviderPaymentID,
		QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64, TicketURL: p.TicketURL,
		ExpiresAt: p.ExpiresAt.UTC(), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		CorrelationID: p.CorrelationID, FailureReason: p.FailureReason, Reversal: p.Reversal,
		TraceParent: p.Trace.Parent, TraceState: p.Trace.State,
	}
}

func (it item) payment() Payment {
	return Payment{
		ID: it.ID, OrderID: it.OrderID, CustomerID: it.CustomerID, Status: Status(it.Status),
		Amount: money.Cents(it.AmountCents), ProviderPaymentID: it.ProviderPaymentID,
		QRCode: it.QRCode, QRCodeBase64: it.QRCodeBase64, TicketURL: it.TicketURL,
		ExpiresAt: it.ExpiresAt.UTC(), CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(),
		CorrelationID: it.CorrelationID, FailureReason: it.FailureReason, Reversal: it.Reversal,
		Trace: telemetry.Carried{Parent: it.TraceParent, State: it.TraceState},
	}
}

// Create stores p unless a payment with its id exists (ErrPaymentExists):
// with ids derived from order ids, that is what makes one payment per order.
func (s *store) Create(ctx context.Context, p Payment) error {
	av, err := attributevalue.MarshalMap(toItem(p))
	if err != nil {
		return fmt.Errorf("encode payment %s: %w", p.ID, err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(id)"),
	})
	if dynamo.ConditionFailed(err) {
		return fmt.Errorf("create payment %s: %w", p.ID, ErrPaymentExists)
	}
	if err != nil {
		return fmt.Errorf("create payment %s: %w", p.ID, err)
	}
	return nil
}

// Get reads a payment by id, strongly consistent.
func (s *store) Get(ctx context.Context, id string) (Payment, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            dynamo.Key(id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Payment{}, fmt.Errorf("read payment %s: %w", id, err)
	}
	if out.Item == nil {
		return Payment{}, fmt.Errorf("payment %s: %w", id, ErrPaymentNotFound)
	}
	return decode(out.Item)
}

// FindByOrder reads the payment of orderID through the order_id index.
func (s *store) FindByOrder(ctx context.Context, orderID string) (Payment, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(OrderIndex),
		KeyConditionExpression:    aws.String("order_id = :order"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":order": &types.AttributeValueMemberS{Value: orderID}},
		Limit:                     aws.Int32(1),
	})
	if err != nil {
		return Payment{}, fmt.Errorf("find payment of order %s: %w", orderID, err)
	}
	if len(out.Items) == 0 {
		return Payment{}, fmt.Errorf("payment of order %s: %w", orderID, ErrPaymentNotFound)
	}
	return decode(out.Items[0])
}

// Settle moves payment id from PENDING to the final status to, if its
// Mercado Pago payment is providerID for amount, in one conditional UpdateItem. It
// reports whether it changed anything; when not (the payment was already
// final, or holds another Mercado Pago payment), it returns the payment as
// it is, so the caller can tell "already there" from "elsewhere"; a
// missing payment is ErrPaymentNotFound. A state never goes backwards.
//
// The write comes first, without reading: a notification that settles a
// payment, the common case, then costs one call. A refused one gets the
// record back with the refusal (ReturnValuesOnConditionCheckFailure); an
// emulator that does not send it back (kumo) costs a read more.
func (s *store) Settle(ctx context.Context, id string, providerID int64, amount money.Cents, to Status, at time.Time) (Payment, bool, error) {
	if !CanAdvance(StatusPending, to) {
		return Payment{}, false, fmt.Errorf("settle payment %s: %s is not a final status", id, to)
	}
	for attempt := 1; ; attempt++ {
		p, changed, err := s.settleOnce(ctx, id, providerID, amount, to, at)
		// Refused, yet PENDING with this very Mercado Pago payment: the
		// record did not exist at the update and was stored just after (the
		// creation raced this notification). Now it can be settled.
		if err == nil && !changed && p.Status == StatusPending && p.ProviderPaymentID == providerID && p.Amount == amount && attempt < 2 {
			continue
		}
		return p, changed, err
	}
}

func (s *store) settleOnce(ctx context.Context, id string, providerID int64, amount money.Cents, to Status, at time.Time) (Payment, bool, error) {
	out, err := s.db.UpdateItem(ctx, settleInput(s.table, id, providerID, amount, to, at))
	var refused *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &refused) && refused.Item != nil:
		current, err := decode(refused.Item)
		return current, false, err
	case dynamo.ConditionFailed(err):
		current, err := s.Get(ctx, id)
		return current, false, err
	case err != nil:
		return Payment{}, false, fmt.Errorf("settle payment %s to %s: %w", id, to, err)
	}
	p, err := decode(out.Attributes)
	return p, err == nil, err
}

func settleInput(table, id string, providerID int64, amount money.Cents, to Status, at time.Time) *dynamodb.UpdateItemInput {
	condition := "attribute_exists(id) AND #status = :pending"
	values := map[string]types.AttributeValue{
		":to":      &types.AttributeValueMemberS{Value: string(to)},
		":pending": &types.AttributeValueMemberS{Value: string(StatusPending)},
		":at":      &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
	}
	condition += " AND provider_payment_id = :provider AND amount_cents = :amount"
	values[":provider"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(providerID, 10)}
	values[":amount"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(amount), 10)}
	return &dynamodb.UpdateItemInput{
		TableName:                           aws.String(table),
		Key:                                 dynamo.Key(id),
		UpdateExpression:                    aws.String("SET #status = :to, updated_at = :at"),
		ConditionExpression:                 aws.String(condition),
		ExpressionAttributeNames:            map[string]string{"#status": "status"},
		ExpressionAttributeValues:           values,
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	}
}

// Ready checks that the table can be reached.
func (s *store) Ready(ctx context.Context) error { return dynamo.Ping(ctx, s.db, s.table) }

func decode(av map[string]types.AttributeValue) (Payment, error) {
	var it item
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Payment{}, fmt.Errorf("decode payment: %w", err)
	}
	return it.payment(), nil
}
