package payment

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/comanda/comanda/services/platform/inbox"
	"github.com/comanda/comanda/services/platform/money"
)

// OrderIndex is the global secondary index on order_id (topology.json).
const OrderIndex = "order_id-index"

// Store keeps payments in DynamoDB, one item per payment, keyed by id, and
// the markers of the events consumed (see package inbox) in the same table.
type Store struct {
	db    *dynamodb.Client
	table string
	inbox *inbox.Inbox
}

// NewStore returns a store on table.
func NewStore(db *dynamodb.Client, table string) *Store {
	return &Store{db: db, table: table, inbox: inbox.New(db, table)}
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
}

func toItem(p Payment) item {
	return item{
		ID: p.ID, OrderID: p.OrderID, CustomerID: p.CustomerID, Status: string(p.Status),
		AmountCents: int64(p.Amount), Provider: ProviderName, ProviderPaymentID: p.ProviderPaymentID,
		QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64, TicketURL: p.TicketURL,
		ExpiresAt: p.ExpiresAt.UTC(), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		CorrelationID: p.CorrelationID, FailureReason: p.FailureReason,
	}
}

func (it item) payment() Payment {
	return Payment{
		ID: it.ID, OrderID: it.OrderID, CustomerID: it.CustomerID, Status: Status(it.Status),
		Amount: money.Cents(it.AmountCents), ProviderPaymentID: it.ProviderPaymentID,
		QRCode: it.QRCode, QRCodeBase64: it.QRCodeBase64, TicketURL: it.TicketURL,
		ExpiresAt: it.ExpiresAt.UTC(), CreatedAt: it.CreatedAt.UTC(), UpdatedAt: it.UpdatedAt.UTC(),
		CorrelationID: it.CorrelationID, FailureReason: it.FailureReason,
	}
}

// CreateFor stores p, and the marker of eventID (the request that made it),
// in one transaction, unless a payment with its id exists
// (ErrPaymentExists). Without an event id it is Create.
func (s *Store) CreateFor(ctx context.Context, p Payment, eventID string) error {
	if eventID == "" {
		return s.Create(ctx, p)
	}
	av, err := attributevalue.MarshalMap(toItem(p))
	if err != nil {
		return fmt.Errorf("encode payment %s: %w", p.ID, err)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: av, ConditionExpression: aws.String("attribute_not_exists(id)")}},
		s.inbox.Record(eventID, inbox.Applied, p.CreatedAt),
	}})
	if inbox.ConditionFailed(err, 0) || inbox.ConditionFailed(err, 1) {
		// The payment exists, or this very event made it: either way the
		// stored payment is the order's.
		return fmt.Errorf("create payment %s: %w", p.ID, ErrPaymentExists)
	}
	if err != nil {
		return fmt.Errorf("create payment %s: %w", p.ID, err)
	}
	return nil
}

// Create stores p unless a payment with its id exists (ErrPaymentExists):
// with ids derived from order ids, that is what makes one payment per order.
func (s *Store) Create(ctx context.Context, p Payment) error {
	av, err := attributevalue.MarshalMap(toItem(p))
	if err != nil {
		return fmt.Errorf("encode payment %s: %w", p.ID, err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(id)"),
	})
	if isConditionFailed(err) {
		return fmt.Errorf("create payment %s: %w", p.ID, ErrPaymentExists)
	}
	if err != nil {
		return fmt.Errorf("create payment %s: %w", p.ID, err)
	}
	return nil
}

// Get reads a payment by id, strongly consistent.
func (s *Store) Get(ctx context.Context, id string) (Payment, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            key(id),
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
func (s *Store) FindByOrder(ctx context.Context, orderID string) (Payment, error) {
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

// Advance moves a PENDING payment to the final status to. It reports
// whether it changed anything; when not (the payment was already final),
// it returns the payment as it is, so the caller can tell "already there"
// from "elsewhere". A state never goes backwards.
func (s *Store) Advance(ctx context.Context, id string, to Status, at time.Time) (Payment, bool, error) {
	if !to.Final() {
		return Payment{}, false, fmt.Errorf("advance payment %s: %s is not a final status", id, to)
	}
	out, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      key(id),
		UpdateExpression:         aws.String("SET #status = :to, updated_at = :at"),
		ConditionExpression:      aws.String("attribute_exists(id) AND #status = :pending"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":to":      &types.AttributeValueMemberS{Value: string(to)},
			":pending": &types.AttributeValueMemberS{Value: string(StatusPending)},
			":at":      &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if isConditionFailed(err) {
		current, err := s.Get(ctx, id)
		return current, false, err
	}
	if err != nil {
		return Payment{}, false, fmt.Errorf("advance payment %s to %s: %w", id, to, err)
	}
	p, err := decode(out.Attributes)
	return p, err == nil, err
}

// Ready checks that the table can be reached.
func (s *Store) Ready(ctx context.Context) error {
	if _, err := s.db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.table)}); err != nil {
		return fmt.Errorf("describe table %s: %w", s.table, err)
	}
	return nil
}

func key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

func decode(av map[string]types.AttributeValue) (Payment, error) {
	var it item
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Payment{}, fmt.Errorf("decode payment: %w", err)
	}
	return it.payment(), nil
}

// isConditionFailed matches by error code, which emulators also send.
func isConditionFailed(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "ConditionalCheckFailedException"
}
