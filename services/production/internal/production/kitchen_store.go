package production

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/platform/dynamo"
	"github.com/comanda/comanda/services/platform/outbox"
	"github.com/comanda/comanda/services/platform/telemetry"
)

// StatusIndex is the global secondary index (hash status, range created_at)
// that lists the kitchen queue without a scan.
const StatusIndex = "status-created_at-index"

// MaxListed bounds one listing: the kitchen never has this many open orders,
// and a caller asking for COMPLETED gets the oldest ones up to the bound.
const MaxListed = 1000

// store keeps kitchen records in DynamoDB, and in the same table the
// outbox of the announcements not yet published, so that a move and its
// announcement are one transaction. Outbox items have the status "OUTBOX",
// which ParseStatus does not know, so no listing shows them.
type store struct {
	db       *dynamodb.Client
	table    string
	pageSize int32 // 0 lets DynamoDB choose; tests set it to exercise paging
	known    *recordCache
	outbox   *outbox.DynamoStore
}

// newStore uses table, which must have the StatusIndex.
func newStore(db *dynamodb.Client, table string) *store {
	return &store{db: db, table: table, known: newRecordCache(recordCacheSize),
		outbox: outbox.NewDynamoStore(db, table, StatusIndex)}
}

// kitchenItem is a record as stored.
type kitchenItem struct {
	ID           string `dynamodbav:"id"`
	OrderID      string `dynamodbav:"order_id"`
	Status       string `dynamodbav:"status"`
	CustomerName string `dynamodbav:"customer_name"`
	Items        []Item `dynamodbav:"items"`
	CreatedAt    string `dynamodbav:"created_at"`
	UpdatedAt    string `dynamodbav:"updated_at"`
	TraceParent  string `dynamodbav:"trace_parent,omitempty"`
	TraceState   string `dynamodbav:"trace_state,omitempty"`
}

// Create stores rec unless a record with its id exists; created says which.
//
// One conditional put is the whole of the order-paid consumer's idempotency:
// the id derives from the order id (RecordID), so a redelivered event, or a
// second event about the same order, finds the record and changes nothing,
// whatever became of the record since. An event-id marker
// written with it would only tell those two cases apart, in a log line, at
// the price of a transaction and one more item per order.
func (s *store) Create(ctx context.Context, rec Record) (created bool, err error) {
	item, err := attributevalue.MarshalMap(toItem(rec))
	if err != nil {
		return false, fmt.Errorf("encode kitchen record %s: %w", rec.ID, err)
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(id)"),
	})
	switch {
	case dynamo.ConditionFailed(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("put kitchen record %s: %w", rec.ID, err)
	}
	s.known.put(rec)
	return true, nil
}

// Get returns the record id, or ErrNotFound.
func (s *store) Get(ctx context.Context, id string) (Record, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            dynamo.Key(id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Record{}, fmt.Errorf("get kitchen record %s: %w", id, err)
	}
	if out.Item == nil {
		return Record{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	rec, err := fromAttributes(out.Item)
	if err == nil {
		s.known.put(rec)
	}
	return rec, err
}

// Announce makes the announcement of a move from the moved record; the
// store writes it to the outbox in the move's own transaction.
type Announce func(moved Record) (outbox.Message, error)

// Transition moves record id along t with one conditional update, so that
// two employees pressing the same button cannot both succeed, and writes
// announce's message (unless announce is nil) to the outbox in the same
// transaction: the move and its announcement happen together or not at
// all. It fails with ErrInvalidTransition when the record is not in t.From,
// ErrNotFound when there is no such record. A record the store knows
// (recordCache) is not read first: the condition checks its status.
func (s *store) Transition(ctx context.Context, id string, t Transition, at time.Time, announce Announce) (Record, error) {
	rec, known := s.known.get(id)
	if !known {
		var err error
		if rec, err = s.Get(ctx, id); err != nil {
			return Record{}, err
		}
		if err := t.Check(rec.Status); err != nil {
			return Record{}, err
		}
	}
	moved := rec
	moved.Status, moved.UpdatedAt = t.To, at.UTC().Truncate(time.Microsecond)
	update := &types.Update{
		TableName:                aws.String(s.table),
		Key:                      dynamo.Key(id),
		UpdateExpression:         aws.String("SET #status = :next, updated_at = :at"),
		ConditionExpression:      aws.String("attribute_exists(id) AND #status = :expected"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":next":     &types.AttributeValueMemberS{Value: string(t.To)},
			":expected": &types.AttributeValueMemberS{Value: string(t.From)},
			":at":       &types.AttributeValueMemberS{Value: dynamo.FormatTime(moved.UpdatedAt)},
		},
	}
	items := []types.TransactWriteItem{{Update: update}}
	if announce != nil {
		msg, err := announce(moved)
		if err != nil {
			return Record{}, err
		}
		put, err := s.outbox.Put(msg, moved.UpdatedAt)
		if err != nil {
			return Record{}, err
		}
		items = append(items, put)
	}
	_, err := s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if transactionConditionFailed(err, 0) {
		return Record{}, s.whyNot(ctx, id, t)
	}
	if err != nil {
		return Record{}, fmt.Errorf("update kitchen record %s: %w", id, err)
	}
	s.known.put(moved)
	return moved, nil
}

// whyNot tells a missing record from one in the wrong status after a failed
// condition (the emulator does not return the old item on failure).
func (s *store) whyNot(ctx context.Context, id string, t Transition) error {
	rec, err := s.Get(ctx, id)
	if err != nil {
		return err
	}
	if err := t.Check(rec.Status); err != nil {
		return err
	}
	// It was in t.From a moment ago and is not any more: someone else moved it.
	return fmt.Errorf("%w: %s changed concurrently", ErrInvalidTransition, id)
}

// List returns the records in any of statuses, oldest first, at most MaxListed.
func (s *store) List(ctx context.Context, statuses ...Status) ([]Record, error) {
	var all []Record
	for _, st := range statuses {
		recs, err := s.listStatus(ctx, st)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	slices.SortStableFunc(all, func(a, b Record) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return all[:min(len(all), MaxListed)], nil
}

// listStatus queries the status index, following every page up to MaxListed.
func (s *store) listStatus(ctx context.Context, st Status) ([]Record, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(StatusIndex),
		KeyConditionExpression:    aws.String("#status = :status"),
		ExpressionAttributeNames:  map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":status": &types.AttributeValueMemberS{Value: string(st)}},
		ScanIndexForward:          aws.Bool(true),
	}
	if s.pageSize > 0 {
		in.Limit = aws.Int32(s.pageSize)
	}
	var recs []Record
	pages := dynamodb.NewQueryPaginator(s.db, in)
	for pages.HasMorePages() && len(recs) < MaxListed {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("query kitchen records %s: %w", st, err)
		}
		for _, item := range page.Items {
			rec, err := fromAttributes(item)
			if err != nil {
				return nil, err
			}
			recs = append(recs, rec)
		}
	}
	return recs[:min(len(recs), MaxListed)], nil
}

// Ping checks that the table is reachable, for /readyz.
func (s *store) Ping(ctx context.Context) error { return dynamo.Ping(ctx, s.db, s.table) }

// transactionConditionFailed reports whether err is a cancelled
// transaction whose item at index i failed its condition.
func transactionConditionFailed(err error, i int) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || i < 0 || i >= len(tce.CancellationReasons) {
		return false
	}
	return aws.ToString(tce.CancellationReasons[i].Code) == "ConditionalCheckFailed"
}

func toItem(r Record) kitchenItem {
	return kitchenItem{
		ID: r.ID, OrderID: r.OrderID, Status: string(r.Status), CustomerName: r.CustomerName,
		Items: r.Items, CreatedAt: dynamo.FormatTime(r.CreatedAt), UpdatedAt: dynamo.FormatTime(r.UpdatedAt),
		TraceParent: r.Trace.Parent, TraceState: r.Trace.State,
	}
}

func fromAttributes(av map[string]types.AttributeValue) (Record, error) {
	var it kitchenItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return Record{}, fmt.Errorf("decode kitchen record: %w", err)
	}
	created, err := time.Parse(time.RFC3339Nano, it.CreatedAt)
	if err != nil {
		return Record{}, fmt.Errorf("kitchen record %s created_at: %w", it.ID, err)
	}
	updated, err := time.Parse(time.RFC3339Nano, it.UpdatedAt)
	if err != nil {
		return Record{}, fmt.Errorf("kitchen record %s updated_at: %w", it.ID, err)
	}
	return Record{
		ID: it.ID, OrderID: it.OrderID, Status: Status(it.Status), CustomerName: it.CustomerName,
		Items: it.Items, CreatedAt: created.UTC(), UpdatedAt: updated.UTC(),
		Trace: telemetry.Carried{Parent: it.TraceParent, State: it.TraceState},
	}, nil
}
