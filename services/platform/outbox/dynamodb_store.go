package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/platform/dynamo"
)

// A waiting message is an item of the service's own table, beside the
// records it announces, so that it can be written in their transactions:
// id "outbox#<event id>", status "OUTBOX", created_at in dynamo.TimeLayout.
// An index on (status, created_at) lists the waiting ones, oldest first,
// without a scan; a service's listings by status never ask for "OUTBOX".
// Tables in service hold such items: the format must not change.
const (
	dynamoIDPrefix = "outbox#"
	dynamoStatus   = "OUTBOX"
	// dynamoRetention is how long a message is kept should no relay ever
	// publish it: DynamoDB deletes it after that, by its ttl attribute.
	dynamoRetention = 15 * 24 * time.Hour
	// maxBatchWrite is how many requests DynamoDB takes in one BatchWriteItem.
	maxBatchWrite = 25
)

// dynamoItem is a waiting message as stored.
type dynamoItem struct {
	ID        string `dynamodbav:"id"`
	Status    string `dynamodbav:"status"`
	CreatedAt string `dynamodbav:"created_at"`
	Queue     string `dynamodbav:"queue"`
	Body      string `dynamodbav:"body"`
	EventName string `dynamodbav:"event_name"`
	// CorrelationID is only for log lines (items written before it
	// existed have none).
	CorrelationID string `dynamodbav:"correlation_id"`
	TTL           int64  `dynamodbav:"ttl"` // the table's time-to-live attribute, epoch seconds
}

// DynamoStore is an outbox in a DynamoDB table. It takes no locks: two
// relays sweeping at once may both publish a message, which its consumer
// then recognises by its event id.
type DynamoStore struct {
	db          *dynamodb.Client
	table       string
	statusIndex string
	now         func() time.Time
}

// NewDynamoStore returns the outbox in table, whose index statusIndex has
// the hash key status and the range key created_at.
func NewDynamoStore(db *dynamodb.Client, table, statusIndex string) *DynamoStore {
	return &DynamoStore{db: db, table: table, statusIndex: statusIndex, now: time.Now}
}

// Put is the write of m, made at at, for the caller's TransactWriteItems,
// so that the message is stored if and only if the change it announces is.
// m's ID must be its event id (NewMessage).
func (s *DynamoStore) Put(m Message, at time.Time) (types.TransactWriteItem, error) {
	item, err := attributevalue.MarshalMap(dynamoItem{
		ID: dynamoIDPrefix + m.ID, Status: dynamoStatus, CreatedAt: dynamo.FormatTime(at), Queue: m.Queue,
		Body: string(m.Body), EventName: m.EventName, CorrelationID: m.CorrelationID,
		TTL: at.Add(dynamoRetention).Unix(),
	})
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("encode outbox item: %w", err)
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: item}}, nil
}

// Sweep publishes up to limit messages written minAge or longer ago, by
// this process's clock, which stamped them, and removes those sent.
func (s *DynamoStore) Sweep(ctx context.Context, minAge time.Duration, limit int, publish PublishFunc) (int, error) {
	msgs, err := s.waiting(ctx, s.now().Add(-minAge), limit)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	sent, published := publish(ctx, msgs)
	var removed error
	if len(sent) > 0 {
		removed = s.Remove(ctx, sent)
	}
	return len(msgs), errors.Join(published, removed)
}

// waiting returns up to limit messages written at or before before,
// oldest first: one Query of the status index.
func (s *DynamoStore) waiting(ctx context.Context, before time.Time, limit int) ([]Message, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                aws.String(s.table),
		IndexName:                aws.String(s.statusIndex),
		KeyConditionExpression:   aws.String("#status = :status AND created_at <= :before"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": &types.AttributeValueMemberS{Value: dynamoStatus},
			":before": &types.AttributeValueMemberS{Value: dynamo.FormatTime(before)},
		},
		ScanIndexForward: aws.Bool(true),
		Limit:            aws.Int32(int32(min(limit, 1000))),
	})
	if err != nil {
		return nil, fmt.Errorf("query the outbox: %w", err)
	}
	var items []dynamoItem
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &items); err != nil {
		return nil, fmt.Errorf("decode the outbox: %w", err)
	}
	msgs := make([]Message, len(items))
	for i, it := range items {
		eventID := strings.TrimPrefix(it.ID, dynamoIDPrefix)
		msgs[i] = Message{ID: eventID, Queue: it.Queue, Body: []byte(it.Body), EventID: eventID,
			EventName: it.EventName, CorrelationID: it.CorrelationID}
	}
	return msgs, nil
}

// Remove deletes messages by event id, maxBatchWrite to a BatchWriteItem.
// Throttled deletions are not retried here: what is left is published
// again by a sweep.
func (s *DynamoStore) Remove(ctx context.Context, ids []string) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids))) // DynamoDB refuses a batch that names a key twice
	for chunk := range slices.Chunk(ids, maxBatchWrite) {
		writes := make([]types.WriteRequest, len(chunk))
		for i, id := range chunk {
			writes[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: dynamo.Key(dynamoIDPrefix + id)}}
		}
		out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{s.table: writes},
		})
		if err != nil {
			return fmt.Errorf("delete %d outbox items: %w", len(chunk), err)
		}
		if left := len(out.UnprocessedItems[s.table]); left > 0 {
			return fmt.Errorf("delete %d outbox items: %d left unprocessed", len(chunk), left)
		}
	}
	return nil
}
