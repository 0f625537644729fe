package production

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/inbox"
)

// The kitchen's outbox lives in the kitchen table: an announcement waiting
// to be published is an item "outbox#<event_id>" whose status is
// outboxStatus, so the status index lists the waiting ones, oldest first,
// without a scan, and no kitchen listing ever shows them (ParseStatus does
// not know outboxStatus).
const outboxStatus = "OUTBOX"

// outboxBatch bounds how many waiting announcements one pass relays.
const outboxBatch = 100

// announcement is an event waiting in the outbox.
type announcement struct {
	ID        string `dynamodbav:"id"`
	Status    string `dynamodbav:"status"`
	CreatedAt string `dynamodbav:"created_at"`
	Queue     string `dynamodbav:"queue"`
	Body      string `dynamodbav:"body"`
	EventName string `dynamodbav:"event_name"`
	TTL       int64  `dynamodbav:"ttl"` // inbox.TTLAttribute
}

func outboxID(eventID string) string { return "outbox#" + eventID }

// outboxPut is the transaction item that puts env in the outbox.
func outboxPut(table string, env events.Envelope, at time.Time) (*types.Put, error) {
	body, err := env.Marshal()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", env.Meta.EventName, err)
	}
	item, err := attributevalue.MarshalMap(announcement{
		ID: outboxID(env.Meta.EventID), Status: outboxStatus, CreatedAt: formatTime(at), Queue: events.OrderQueue,
		Body: string(body), EventName: env.Meta.EventName, TTL: at.Add(inbox.Retention).Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("encode outbox item: %w", err)
	}
	return &types.Put{TableName: aws.String(table), Item: item}, nil
}

// Waiting returns up to limit announcements not yet published, oldest first.
func (s *KitchenStore) Waiting(ctx context.Context, limit int32) ([]announcement, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(StatusIndex),
		KeyConditionExpression:    aws.String("#status = :status"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":status": &types.AttributeValueMemberS{Value: outboxStatus}},
		ScanIndexForward:          aws.Bool(true),
		Limit:                     aws.Int32(limit),
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

// Sent removes a published announcement from the outbox.
func (s *KitchenStore) Sent(ctx context.Context, eventID string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: key(outboxID(eventID))})
	if err != nil {
		return fmt.Errorf("delete outbox item of %s: %w", eventID, err)
	}
	return nil
}
