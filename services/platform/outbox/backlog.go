package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"go.opentelemetry.io/otel/metric"

	"github.com/comanda/comanda/services/platform/dynamo"
)

// Backlog is what waits in an outbox: how many messages, and when the
// oldest was written (zero when none waits).
type Backlog struct {
	Messages int
	Oldest   time.Time
}

// backlogger is a Store that can say what waits in it.
type backlogger interface {
	Backlog(ctx context.Context) (Backlog, error)
}

// Backlog counts the rows waiting and finds the oldest: one aggregate
// query.
func (s *PostgresStore) Backlog(ctx context.Context) (Backlog, error) {
	var b Backlog
	var oldest *time.Time
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM outbox`).Scan(&b.Messages, &oldest); err != nil {
		return Backlog{}, fmt.Errorf("outbox backlog: %w", err)
	}
	if oldest != nil {
		b.Oldest = *oldest
	}
	return b, nil
}

// Backlog counts the waiting items of the status index, and reads the
// oldest one's time: two queries of the index.
func (s *DynamoStore) Backlog(ctx context.Context) (Backlog, error) {
	in := func() *dynamodb.QueryInput {
		return &dynamodb.QueryInput{
			TableName: aws.String(s.table), IndexName: aws.String(s.statusIndex),
			KeyConditionExpression:    aws.String("#status = :status"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":status": &types.AttributeValueMemberS{Value: dynamoStatus}},
		}
	}
	var b Backlog
	count := in()
	count.Select = types.SelectCount
	for {
		out, err := s.db.Query(ctx, count)
		if err != nil {
			return Backlog{}, fmt.Errorf("outbox backlog: %w", err)
		}
		b.Messages += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		count.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if b.Messages == 0 {
		return b, nil
	}
	first := in()
	first.ScanIndexForward, first.Limit = aws.Bool(true), aws.Int32(1)
	out, err := s.db.Query(ctx, first)
	if err != nil {
		return Backlog{}, fmt.Errorf("outbox backlog: %w", err)
	}
	if len(out.Items) > 0 {
		if v, ok := out.Items[0]["created_at"].(*types.AttributeValueMemberS); ok {
			if t, err := time.Parse(dynamo.TimeLayout, v.Value); err == nil {
				b.Oldest = t
			}
		}
	}
	return b, nil
}

// Measure has meters observe what waits in the relay's store, when the
// store can say (both of this package's can): comanda.outbox.messages, and
// comanda.outbox.oldest_age, the age of the oldest message in seconds (0
// when none waits): an outbox falling behind shows as a growing age. The
// gauges stop with the relay, before its store is closed.
func (r *Relay) Measure(meters metric.MeterProvider) error {
	store, ok := r.store.(backlogger)
	if !ok {
		return nil
	}
	meter := meters.Meter("github.com/comanda/comanda/services/platform/outbox")
	waiting, err := meter.Int64ObservableGauge("comanda.outbox.messages", metric.WithUnit("{message}"),
		metric.WithDescription("Messages waiting in the outbox to be published."))
	if err != nil {
		return err
	}
	age, err := meter.Float64ObservableGauge("comanda.outbox.oldest_age", metric.WithUnit("s"),
		metric.WithDescription("How long the oldest message waiting in the outbox has waited; 0 when none waits."))
	if err != nil {
		return err
	}
	r.measured, err = meter.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		b, err := store.Backlog(ctx)
		if err != nil {
			r.log.WarnContext(ctx, "outbox backlog unknown", "err", err)
			return nil // an outage is the alarms' business, not the meter's
		}
		o.ObserveInt64(waiting, int64(b.Messages))
		if b.Oldest.IsZero() {
			o.ObserveFloat64(age, 0)
		} else {
			o.ObserveFloat64(age, max(time.Since(b.Oldest), 0).Seconds())
		}
		return nil
	}, waiting, age)
	return err
}
