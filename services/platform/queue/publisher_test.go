package queue_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/platform/queue"
)

func TestPublishBodiesSendsEveryBatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var want []string
	bodies := make([][]byte, 25)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"n":%d}`, i)
		want = append(want, string(bodies[i]))
	}
	if err := f.publisher(t).PublishBodies(t.Context(), baseName, bodies); err != nil {
		t.Fatal(err)
	}

	var got []string
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for len(got) < len(want) {
		out, err := f.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(f.url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatalf("received %d of %d messages: %v", len(got), len(want), err)
		}
		for _, m := range out.Messages {
			got = append(got, aws.ToString(m.Body))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("received %v; want %v", got, want)
	}
}

func TestPublishToAnUnknownQueueFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if err := f.publisher(t).PublishBodies(t.Context(), "not-configured", [][]byte{[]byte(`{}`)}); err == nil {
		t.Fatal("publishing to a queue the publisher was not built for succeeded")
	}
	if _, err := queue.NewPublisher(t.Context(), f.sqs, queue.Names{Prefix: f.prefix}, "absent"); err == nil {
		t.Fatal("NewPublisher resolved a queue that does not exist")
	}
}

func TestNamesPrefix(t *testing.T) {
	t.Parallel()
	if got := (queue.Names{Prefix: "dev-"}).Of("order-service-queue"); got != "dev-order-service-queue" {
		t.Fatalf("Of = %q", got)
	}
}
