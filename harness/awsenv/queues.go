package awsenv

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

// CreateQueue makes queue name and its dead-letter queue as Provision makes
// the queues of the topology, whose settings qs holds, and returns their
// URLs. Tests use it for queues of their own.
func CreateQueue(ctx context.Context, c awsconf.Clients, qs topology.Queues, name string) (url, dlqURL string, err error) {
	p := newProvisioner(c, "")
	if err := p.queue(ctx, qs, name); err != nil {
		return "", "", err
	}
	return p.res.Queues[name], p.res.DeadLetterQueues[name], nil
}

// queue makes base's dead-letter queue, then base itself, redriving to it.
func (p *provisioner) queue(ctx context.Context, qs topology.Queues, base string) error {
	dlqURL, err := p.ensureQueue(ctx, p.prefix+qs.DeadLetterName(base), nil)
	if err != nil {
		return err
	}
	attrs, err := p.c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       aws.String(dlqURL),
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return fmt.Errorf("read ARN of queue %s: %w", dlqURL, err)
	}
	policy, err := json.Marshal(struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     int    `json:"maxReceiveCount"`
	}{attrs.Attributes[string(types.QueueAttributeNameQueueArn)], qs.MaxReceiveCount})
	if err != nil {
		return fmt.Errorf("encode redrive policy: %w", err)
	}
	url, err := p.ensureQueue(ctx, p.prefix+base, map[string]string{
		string(types.QueueAttributeNameRedrivePolicy):     string(policy),
		string(types.QueueAttributeNameVisibilityTimeout): strconv.Itoa(qs.VisibilityTimeoutSeconds),
	})
	if err != nil {
		return err
	}
	p.update(func(r *Resources) { r.Queues[base], r.DeadLetterQueues[base] = url, dlqURL })
	return nil
}

// ensureQueue returns the URL of queue name, made with attrs if missing, or
// brought up to attrs if it exists.
func (p *provisioner) ensureQueue(ctx context.Context, name string, attrs map[string]string) (string, error) {
	got, err := p.c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err == nil {
		url := aws.ToString(got.QueueUrl)
		if len(attrs) > 0 {
			if _, err := p.c.SQS.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: got.QueueUrl, Attributes: attrs}); err != nil {
				return "", fmt.Errorf("update queue %s: %w", name, err)
			}
		}
		return url, nil
	}
	if !hasCode(err, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist") {
		return "", fmt.Errorf("look up queue %s: %w", name, err)
	}
	made, err := p.c.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		return "", fmt.Errorf("create queue %s: %w", name, err)
	}
	url := aws.ToString(made.QueueUrl)
	p.made(kindQueue, url)
	return url, nil
}
