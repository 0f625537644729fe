package awsenv

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// teardown deletes what Provision made, newest first, and nothing it found.
// A KMS key cannot be deleted at once: it is scheduled for deletion.
func (r Resources) teardown(ctx context.Context, c awsconf.Clients) error {
	var errs []error
	for i := len(r.created) - 1; i >= 0; i-- {
		if err := deleteResource(ctx, c, r.created[i]); err != nil {
			errs = append(errs, fmt.Errorf("delete %s %s: %w", r.created[i].kind, r.created[i].id, err))
		}
	}
	return errors.Join(errs...)
}

func deleteResource(ctx context.Context, c awsconf.Clients, res resource) error {
	id := aws.String(res.id)
	var err error
	switch res.kind {
	case kindQueue:
		_, err = c.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: id})
	case kindTable:
		_, err = c.DynamoDB.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: id})
	case kindSecret:
		_, err = c.SecretsManager.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: id, ForceDeleteWithoutRecovery: aws.Bool(true)})
	case kindAlias:
		_, err = c.KMS.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: id})
	case kindKey:
		_, err = c.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: id, PendingWindowInDays: aws.Int32(7)})
	}
	return err
}
