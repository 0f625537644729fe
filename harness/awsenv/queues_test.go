package awsenv

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/comanda/comanda/services/topology"
)

func TestQueues(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	qs := topology.MustLoad().Queues
	for _, q := range qs.Names {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			t.Run("attributes", func(t *testing.T) { checkQueueAttributes(t, env, qs, q) })
			t.Run("send and receive", func(t *testing.T) {
				t.Parallel()
				send(t, env, env.Queues[q], "hello "+q)
				msg := receive(t, env, env.Queues[q], 10*time.Second)
				if aws.ToString(msg.Body) != "hello "+q {
					t.Errorf("received %q, want %q", aws.ToString(msg.Body), "hello "+q)
				}
				if _, err := env.Clients.SQS.DeleteMessage(t.Context(), &sqs.DeleteMessageInput{QueueUrl: aws.String(env.Queues[q]), ReceiptHandle: msg.ReceiptHandle}); err != nil {
					t.Errorf("DeleteMessage: %v", err)
				}
			})
		})
	}
}

func checkQueueAttributes(t *testing.T, env *Env, qs topology.Queues, q string) {
	ctx := t.Context()
	got, err := env.Clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(env.Queues[q]), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll},
	})
	if err != nil {
		t.Fatalf("GetQueueAttributes: %v", err)
	}
	if v := got.Attributes["VisibilityTimeout"]; v != strconv.Itoa(qs.VisibilityTimeoutSeconds) {
		t.Errorf("VisibilityTimeout = %q, want %d", v, qs.VisibilityTimeoutSeconds)
	}
	dlq, err := env.Clients.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(env.DeadLetterQueues[q]), AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("GetQueueAttributes of the dead-letter queue: %v", err)
	}
	var policy struct {
		Target string      `json:"deadLetterTargetArn"`
		Max    json.Number `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal([]byte(got.Attributes["RedrivePolicy"]), &policy); err != nil {
		t.Fatalf("RedrivePolicy %q: %v", got.Attributes["RedrivePolicy"], err)
	}
	if policy.Target != dlq.Attributes["QueueArn"] || policy.Max.String() != strconv.Itoa(qs.MaxReceiveCount) {
		t.Errorf("RedrivePolicy = %+v, want target %s after %d receives", policy, dlq.Attributes["QueueArn"], qs.MaxReceiveCount)
	}
}

// A message that keeps failing is received exactly maxReceiveCount times,
// then turns up in the dead-letter queue.
func TestDeadLetterQueues(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	qs := topology.MustLoad().Queues
	for _, q := range qs.Names {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			ctx := t.Context()
			send(t, env, env.Queues[q], "poison")
			receives := 0
			var dead *types.Message
			eventually(t, 20*time.Second, "message reaches the dead-letter queue", func() bool {
				if msg, ok := receiveOnce(t, env, env.Queues[q], 0); ok {
					receives++
					// Fail fast: make it visible again at once instead of in 30 s.
					if _, err := env.Clients.SQS.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
						QueueUrl: aws.String(env.Queues[q]), ReceiptHandle: msg.ReceiptHandle, VisibilityTimeout: 0,
					}); err != nil {
						t.Fatalf("ChangeMessageVisibility: %v", err)
					}
				}
				msg, ok := receiveOnce(t, env, env.DeadLetterQueues[q], 0)
				dead = &msg
				return ok
			})
			if aws.ToString(dead.Body) != "poison" {
				t.Errorf("dead-letter queue holds %q, want poison", aws.ToString(dead.Body))
			}
			if receives != qs.MaxReceiveCount {
				t.Errorf("received %d times before dead-lettering, want maxReceiveCount = %d", receives, qs.MaxReceiveCount)
			}
		})
	}
}

func send(t *testing.T, env *Env, url, body string) {
	t.Helper()
	if _, err := env.Clients.SQS.SendMessage(t.Context(), &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)}); err != nil {
		t.Fatalf("SendMessage to %s: %v", url, err)
	}
}

func receive(t *testing.T, env *Env, url string, timeout time.Duration) types.Message {
	t.Helper()
	var msg types.Message
	eventually(t, timeout, "receive from "+url, func() (ok bool) {
		msg, ok = receiveOnce(t, env, url, 1)
		return ok
	})
	return msg
}

func receiveOnce(t *testing.T, env *Env, url string, waitSeconds int32) (types.Message, bool) {
	t.Helper()
	out, err := env.Clients.SQS.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: 1, WaitTimeSeconds: waitSeconds,
	})
	if err != nil {
		t.Fatalf("ReceiveMessage from %s: %v", url, err)
	}
	if len(out.Messages) == 0 {
		return types.Message{}, false
	}
	return out.Messages[0], true
}
