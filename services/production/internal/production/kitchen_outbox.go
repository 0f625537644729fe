package production

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/dynamo"
)

// The kitchen's outbox lives in the kitchen table: an announcement waiting
// to be published is an item "outbox#<event_id>" whose status is
// outboxStatus, so the status index lists the waiting ones, oldest first,
// without a scan, and no kitchen listing ever shows them (ParseStatus does
// not know outboxStatus).
const outboxStatus = "OUTBOX"

// outboxBatch bounds how many waiting announcements one pass relays.
const outboxBatch = 100

// outboxRetention is how long an announcement is kept should no relay ever
// publish it: DynamoDB deletes it after that, by its ttl attribute.
const outboxRetention = 15 * 24 * time.Hour

// announcement is an event waiting in the outbox.
type announcement struct {
	ID        string `dynamodbav:"id"`
	Status    string `dynamodbav:"status"`
	CreatedAt string `dynamodbav:"created_at"`
	Queue     string `dynamodbav:"queue"`
	Body      string `dynamodbav:"body"`
	EventName string `dynamodbav:"event_name"`
	// CorrelationID is only for the relay's log lines (items written
	// before it existed have none).
	CorrelationID string `dynamodbav:"correlation_id"`
	TTL           int64  `dynamodbav:"ttl"` // the table's time-to-live attribute
}

// pending is the announcement on its way to SQS.
func (w announcement) pending() pending {
	return pending{queue: w.Queue, eventID: strings.TrimPrefix(w.ID, outboxID("")), name: w.EventName,
		correlationID: w.CorrelationID, body: []byte(w.Body)}
}

func outboxID(eventID string) string { return "outbox#" + eventID }

// outboxPut is the transaction item that puts env in the outbox.
func outboxPut(table string, env events.Envelope, at time.Time) (*types.Put, error) {
	body, err := env.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	item, err := attributevalue.MarshalMap(announcement{
		ID: outboxID(env.Meta.EventID), Status: outboxStatus, CreatedAt: dynamo.FormatTime(at), Queue: events.OrderQueue,
		Body: string(body), EventName: env.Meta.EventName, CorrelationID: env.Meta.CorrelationID,
		TTL: at.Add(outboxRetention).Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("encode outbox item: %w", err)
	}
	return &types.Put{TableName: aws.String(table), Item: item}, nil
}

// Waiting returns up to limit announcements not yet published that were
// written before before, oldest first.
func (s *store) Waiting(ctx context.Context, before time.Time, limit int32) ([]announcement, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                aws.String(s.table),
		IndexName:                aws.String(StatusIndex),
		KeyConditionExpression:   aws.String("#status = :status AND created_at < :before"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":status": &types.AttributeValueMemberS{Value: outboxStatus},
			":before": &types.AttributeValueMemberS{Value: dynamo.FormatTime(before)},
		},
		ScanIndexForward: aws.Bool(true),
		Limit:            aws.Int32(limit),
	})
	if err != nil {
		return nil, fmt.Errorf("query the kitchen outbox: %w", err)
	}
	var waiting []announcement
	if err := attributevalue.UnmarshalListOfMaps(out.Items, &waiting); err != nil {
		return nil, fmt.Errorf("decode the kitchen outbox: %w", err)
	}
	return waiting, nil
}

// maxBatchWrite is how many requests DynamoDB takes in one BatchWriteItem.
const maxBatchWrite = 25

// Sent removes published announcements from the outbox, maxBatchWrite to a
// call. A deletion that fails only means the relay publishes the
// announcement again, which the order service recognises by its event id.
func (s *store) Sent(ctx context.Context, eventIDs []string) error {
	ids := slices.Clone(eventIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids) // DynamoDB refuses a batch that names a key twice
	for chunk := range slices.Chunk(ids, maxBatchWrite) {
		writes := make([]types.WriteRequest, len(chunk))
		for i, id := range chunk {
			writes[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: dynamo.Key(outboxID(id))}}
		}
		out, err := s.db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{s.table: writes},
		})
		if err != nil {
			return fmt.Errorf("delete %d outbox items: %w", len(chunk), err)
		}
		// Throttled deletions are not retried here: the relay catches them.
		if left := len(out.UnprocessedItems[s.table]); left > 0 {
			return fmt.Errorf("delete %d outbox items: %d left unprocessed", len(chunk), left)
		}
	}
	return nil
}
