package main

// The floor's production service: a kitchen record made for a paid order,
// then moved twice, each move announced through the kitchen's outbox in the
// same table.

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
)

// kitchenItem is a kitchen record as the production service stores it.
type kitchenItem struct {
	ID           string        `dynamodbav:"id"`
	OrderID      string        `dynamodbav:"order_id"`
	Status       string        `dynamodbav:"status"`
	CustomerName string        `dynamodbav:"customer_name"`
	Items        []kitchenLine `dynamodbav:"items"`
	CreatedAt    string        `dynamodbav:"created_at"`
	UpdatedAt    string        `dynamodbav:"updated_at"`
}

type kitchenLine struct {
	Name     string `dynamodbav:"name"`
	Quantity int    `dynamodbav:"quantity"`
}

// announcement is a kitchen event waiting in the outbox: an item of the
// kitchen table whose status the status index lists apart.
type announcement struct {
	ID            string `dynamodbav:"id"` // "outbox#" and the event id
	Status        string `dynamodbav:"status"`
	CreatedAt     string `dynamodbav:"created_at"`
	Queue         string `dynamodbav:"queue"`
	Body          string `dynamodbav:"body"`
	EventName     string `dynamodbav:"event_name"`
	CorrelationID string `dynamodbav:"correlation_id"`
	TTL           int64  `dynamodbav:"ttl"`
}

// kitchenMove is a move an employee asks for.
type kitchenMove struct{ from, to, event string }

var (
	kitchenStarted   = kitchenMove{"RECEIVED", "IN_PREPARATION", events.ProductionStarted}
	kitchenCompleted = kitchenMove{"IN_PREPARATION", "COMPLETED", events.ProductionCompleted}
)

// kitchenTime has fixed-width fractional seconds, so that created_at sorts
// by time in the status index.
func kitchenTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// receiveInKitchen makes the paid order's record with one conditional put.
func (w *floorWorker) receiveInKitchen(ctx context.Context, o *floorOrder, env events.Envelope) error {
	var p events.OrderPaidPayload
	if err := env.Decode(&p); err != nil {
		return err
	}
	now := kitchenTime(time.Now())
	rec := kitchenItem{ID: uuid.NewString(), OrderID: p.OrderID, Status: kitchenStarted.from, CustomerName: p.CustomerName,
		CreatedAt: now, UpdatedAt: now}
	for _, it := range p.Items {
		rec.Items = append(rec.Items, kitchenLine{Name: it.Name, Quantity: it.Quantity})
	}
	av, err := attributevalue.MarshalMap(rec)
	if err != nil {
		return err
	}
	if _, err := w.f.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(w.f.kitchen), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(id)")}); err != nil {
		return fmt.Errorf("put kitchen record %s: %w", rec.ID, err)
	}
	o.record = rec
	return nil
}

// moveInKitchen moves the record and writes its announcement in one
// transaction, then publishes the announcement and deletes it from the
// outbox.
func (w *floorWorker) moveInKitchen(m kitchenMove) func(context.Context, *floorOrder) error {
	return func(ctx context.Context, o *floorOrder) error {
		at := time.Now()
		env, err := events.New(m.event, events.ProductionService, events.OrderService, o.correlation, events.ProductionPayload{
			ProductionID: o.record.ID, OrderID: o.record.OrderID, Status: m.to, At: at.UTC().Truncate(time.Microsecond)})
		if err != nil {
			return err
		}
		if err := w.f.transition(ctx, o.record.ID, m, at, env); err != nil {
			return err
		}
		if err := w.publish(ctx, o, env); err != nil {
			return err
		}
		del := types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: idKey("outbox#" + env.Meta.EventID)}}
		_, err = w.f.ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: map[string][]types.WriteRequest{w.f.kitchen: {del}}})
		return err
	}
}

// transition moves record id along m with a conditional update, and puts
// env in the outbox, in one TransactWriteItems.
func (f *floor) transition(ctx context.Context, id string, m kitchenMove, at time.Time, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return err
	}
	put, err := attributevalue.MarshalMap(announcement{ID: "outbox#" + env.Meta.EventID, Status: "OUTBOX",
		CreatedAt: kitchenTime(at), Queue: events.OrderQueue, Body: string(body), EventName: env.Meta.EventName,
		CorrelationID: env.Meta.CorrelationID, TTL: at.Add(15 * 24 * time.Hour).Unix()})
	if err != nil {
		return err
	}
	update := &types.Update{TableName: aws.String(f.kitchen), Key: idKey(id),
		UpdateExpression:         aws.String("SET #status = :next, updated_at = :at"),
		ConditionExpression:      aws.String("attribute_exists(id) AND #status = :expected"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":next":     &types.AttributeValueMemberS{Value: m.to},
			":expected": &types.AttributeValueMemberS{Value: m.from},
			":at":       &types.AttributeValueMemberS{Value: kitchenTime(at)},
		}}
	_, err = f.ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: update}, {Put: &types.Put{TableName: aws.String(f.kitchen), Item: put}}}})
	if err != nil {
		return fmt.Errorf("move kitchen record %s to %s: %w", id, m.to, err)
	}
	return nil
}
