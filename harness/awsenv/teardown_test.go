package awsenv

import (
	"time"

	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// An Env on an external endpoint provisions there, and its Close deletes
// what it made, leaving the endpoint and others' resources alone.
func TestExternalEndpointAndTeardown(t *testing.T) {
	t.Parallel()
	host := startEnv(t, Options{})
	ext, err := Start(t.Context(), Options{Logger: testLogger(t), ExternalEndpoint: host.Endpoint, Prefix: NewPrefix()})
	if err != nil {
		t.Fatalf("Start on %s: %v", host.Endpoint, err)
	}
	if ext.Backend() != "external "+host.Endpoint {
		t.Errorf("Backend() = %q, want %q", ext.Backend(), "external "+host.Endpoint)
	}
	send(t, ext, ext.Queues["order-service-queue"], "via external")
	if got := receive(t, host, ext.Queues["order-service-queue"], 5*time.Second); aws.ToString(got.Body) != "via external" {
		t.Errorf("host sees %q in the external env's queue", aws.ToString(got.Body))
	}
	ext.Close()

	ctx := t.Context()
	c := host.Clients
	for base := range ext.Queues {
		for _, name := range []string{ext.Prefix + base, ext.Prefix + base + "-dlq"} {
			if _, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)}); err == nil {
				t.Errorf("queue %s survived Close", name)
			}
		}
	}
	for _, name := range ext.Tables {
		if _, err := c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}); err == nil {
			t.Errorf("table %s survived Close", name)
		}
	}
	if _, err := c.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(ext.SecretID)}); err == nil {
		t.Errorf("secret %s survived Close", ext.SecretID)
	}
	if key, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ext.KeyID)}); err != nil || key.KeyMetadata.DeletionDate == nil {
		t.Errorf("key %s not scheduled for deletion: %v", ext.KeyID, err)
	}
	if _, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(host.Prefix + "order-service-queue")}); err != nil {
		t.Errorf("the host's own queue went with the external env: %v", err)
	}
}
