// Package dynamo holds the DynamoDB idioms the services' stores share:
// items keyed by a string attribute "id", conditional writes told apart
// from failures, timestamps that sort as text, and the reachability check
// behind /readyz. It knows no table of its own.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// Key is the primary key of the item whose hash key "id" is id; every
// table of the project is keyed so.
func Key(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}
}

// ConditionFailed reports whether err is a write refused by its condition
// expression: an outcome the caller asked about, not a failure. It matches
// by error code, which emulators send too, rather than by the SDK's type.
func ConditionFailed(err error) bool { return hasCode(err, "ConditionalCheckFailedException") }

// TransactionCanceled reports whether err is a TransactWriteItems that
// DynamoDB cancelled: a condition of one of its items failed, or another
// transaction touched one of them at the same time. It matches by error
// code, as ConditionFailed does.
func TransactionCanceled(err error) bool { return hasCode(err, "TransactionCanceledException") }

func hasCode(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}

// TimeLayout has fixed-width fractional seconds, so that the text order of
// two times in it is their time order: what a range key of an index needs.
// Items already stored depend on it; it must not change.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// FormatTime writes t, in UTC, in TimeLayout.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// describer is the part of the DynamoDB client Ping uses.
type describer interface {
	DescribeTable(ctx context.Context, in *dynamodb.DescribeTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// Ping checks that table can be reached, for a readiness probe.
func Ping(ctx context.Context, db describer, table string) error {
	if _, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}); err != nil {
		return fmt.Errorf("describe table %s: %w", table, err)
	}
	return nil
}
