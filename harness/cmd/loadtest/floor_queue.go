package main

// The floor's messaging: the order service's outbox relay, and what the
// queue package's publisher and consumer ask of SQS for one message.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/jackc/pgx/v5"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/postgres"
)

// relay is the outbox relay for this worker's rows: lock them, publish
// them, delete them, in one transaction.
func (w *floorWorker) relay(ctx context.Context, _ *floorOrder) error {
	return postgres.InTx(ctx, w.f.ordersDB, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `SELECT id, queue, body FROM outbox WHERE queue = $1 ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`, w.queue)
		var ids []int64
		var bodies [][]byte
		var id int64
		var queue, body string
		if _, err := pgx.ForEachRow(rows, []any{&id, &queue, &body}, func() error {
			ids, bodies = append(ids, id), append(bodies, []byte(body))
			return nil
		}); err != nil {
			return fmt.Errorf("read the outbox: %w", err)
		}
		if len(ids) == 0 {
			return errors.New("nothing in the outbox")
		}
		if err := w.send(ctx, bodies...); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM outbox WHERE id = ANY($1)`, ids)
		return err
	})
}

// send is the publisher's: ten messages to a batch.
func (w *floorWorker) send(ctx context.Context, bodies ...[]byte) error {
	for chunk := range slices.Chunk(bodies, 10) {
		entries := make([]sqstypes.SendMessageBatchRequestEntry, len(chunk))
		for i, b := range chunk {
			entries[i] = sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(b))}
		}
		out, err := w.f.sqs.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: aws.String(w.url), Entries: entries})
		if err != nil {
			return fmt.Errorf("send: %w", err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("send: %d of %d messages refused", len(out.Failed), len(entries))
		}
	}
	return nil
}

// publish sends env and makes it the event the flow waits for.
func (w *floorWorker) publish(ctx context.Context, o *floorOrder, env events.Envelope) error {
	body, err := env.Marshal()
	if err != nil {
		return err
	}
	o.next = env.Meta.EventID
	return w.send(ctx, body)
}

// consume is the consumer's work for one message: receive the event the
// flow waits for, handle it, delete it.
func (w *floorWorker) consume(handle func(context.Context, *floorOrder, events.Envelope) error) func(context.Context, *floorOrder) error {
	return func(ctx context.Context, o *floorOrder) error {
		env, receipt, err := w.receive(ctx, o.next)
		if err != nil {
			return err
		}
		if err := handle(ctx, o, env); err != nil {
			return err
		}
		_, err = w.f.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(w.url), ReceiptHandle: receipt})
		return err
	}
}

// receive returns event eventID from the worker's queue, asking as the
// consumer does. Any other message is what a failed order left: it is deleted.
func (w *floorWorker) receive(ctx context.Context, eventID string) (events.Envelope, *string, error) {
	for range 3 {
		out, err := w.f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: aws.String(w.url), MaxNumberOfMessages: 8, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"},
			MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{sqstypes.MessageSystemAttributeNameApproximateReceiveCount},
		})
		if err != nil {
			return events.Envelope{}, nil, fmt.Errorf("receive: %w", err)
		}
		var found *sqstypes.Message
		var env events.Envelope
		for _, m := range out.Messages {
			if e, err := events.Parse([]byte(aws.ToString(m.Body))); err == nil && e.Meta.EventID == eventID {
				found, env = &m, e
				continue
			}
			if _, err := w.f.sqs.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(w.url), ReceiptHandle: m.ReceiptHandle}); err != nil {
				return events.Envelope{}, nil, fmt.Errorf("delete a stray message: %w", err)
			}
		}
		if found != nil {
			return env, found.ReceiptHandle, nil
		}
	}
	return events.Envelope{}, nil, fmt.Errorf("event %s never arrived", eventID)
}
