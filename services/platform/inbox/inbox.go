// Package inbox makes DynamoDB consumers idempotent by event id: each
// consumed event leaves a marker item in the consumer's own table (hash key
// "id", the marker's id "event#<event_id>"), written in the same
// TransactWriteItems as the event's effect and conditional on not being there
// yet, so that an event delivered twice has its effect once. Markers carry a
// TTL attribute: DynamoDB deletes them after Retention, long after SQS has
// stopped redelivering (its retention is at most 14 days).
//
// Markers have none of the attributes the tables' indexes are keyed on, so
// they never show in an index query.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TTLAttribute is the attribute the tables' time to live is set on: epoch
// seconds after which DynamoDB may delete the item.
const TTLAttribute = "ttl"

// Retention is how long a marker is kept.
const Retention = 15 * 24 * time.Hour

// States a marker records.
const (
	// Applied: the effect is stored; what follows it (a publish) may not be done.
	Applied = "APPLIED"
	// Done: the event is fully processed; a redelivery has nothing left to do.
	Done = "DONE"
)

// ID is the id of eventID's marker item.
func ID(eventID string) string { return "event#" + eventID }

// Inbox reads and writes the markers of one table.
type Inbox struct {
	db    *dynamodb.Client
	table string
}

// New returns the inbox of table.
func New(db *dynamodb.Client, table string) *Inbox { return &Inbox{db: db, table: table} }

// Record is the transaction item that records eventID in state; the
// transaction fails with its condition (see ConditionFailed) if the event
// was recorded before.
func (in *Inbox) Record(eventID, state string, now time.Time) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(in.table),
		Item:                marker(eventID, state, now),
		ConditionExpression: aws.String("attribute_not_exists(id)"),
	}}
}

// Mark records eventID in state, whatever it was before.
func (in *Inbox) Mark(ctx context.Context, eventID, state string, now time.Time) error {
	_, err := in.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(in.table), Item: marker(eventID, state, now)})
	if err != nil {
		return fmt.Errorf("mark event %s %s: %w", eventID, state, err)
	}
	return nil
}

// State returns the state recorded for eventID, "" if none.
func (in *Inbox) State(ctx context.Context, eventID string) (string, error) {
	out, err := in.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:            aws.String(in.table),
		Key:                  map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: ID(eventID)}},
		ConsistentRead:       aws.Bool(true),
		ProjectionExpression: aws.String("#state"),
		ExpressionAttributeNames: map[string]string{
			"#state": "state",
		},
	})
	if err != nil {
		return "", fmt.Errorf("read marker of event %s: %w", eventID, err)
	}
	if s, ok := out.Item["state"].(*types.AttributeValueMemberS); ok {
		return s.Value, nil
	}
	return "", nil
}

func marker(eventID, state string, now time.Time) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"id":          &types.AttributeValueMemberS{Value: ID(eventID)},
		"state":       &types.AttributeValueMemberS{Value: state},
		"recorded_at": &types.AttributeValueMemberS{Value: now.UTC().Format(time.RFC3339Nano)},
		TTLAttribute:  &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(Retention).Unix(), 10)},
	}
}

// ConditionFailed reports whether err is a cancelled transaction whose item
// at index i failed its condition.
func ConditionFailed(err error, i int) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i < 0 || i >= len(tce.CancellationReasons) {
		return false
	}
	return aws.ToString(tce.CancellationReasons[i].Code) == "ConditionalCheckFailed"
}
