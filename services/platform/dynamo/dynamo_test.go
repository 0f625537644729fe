package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/comanda/comanda/services/platform/dynamo"
)

func TestKey(t *testing.T) {
	t.Parallel()
	k := dynamo.Key("abc")
	if s, ok := k["id"].(*types.AttributeValueMemberS); len(k) != 1 || !ok || s.Value != "abc" {
		t.Fatalf("Key(abc) = %#v; want {id: S abc}", k)
	}
}

func TestConditionFailed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("ConditionalCheckFailedException"), false}, // not an API error
		{&types.ConditionalCheckFailedException{}, true},
		{fmt.Errorf("put: %w", &smithy.GenericAPIError{Code: "ConditionalCheckFailedException"}), true}, // as emulators send it
		{&smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException"}, false},
		{&types.TransactionCanceledException{}, false},
	} {
		if got := dynamo.ConditionFailed(tc.err); got != tc.want {
			t.Errorf("ConditionFailed(%v) = %v; want %v", tc.err, got, tc.want)
		}
	}
}

func TestTransactionCanceled(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&types.TransactionCanceledException{}, true},
		{fmt.Errorf("transact: %w", &smithy.GenericAPIError{Code: "TransactionCanceledException"}), true}, // as emulators send it
		{&types.ConditionalCheckFailedException{}, false},
		{errors.New("TransactionCanceledException"), false},
	} {
		if got := dynamo.TransactionCanceled(tc.err); got != tc.want {
			t.Errorf("TransactionCanceled(%v) = %v; want %v", tc.err, got, tc.want)
		}
	}
}

// Times in TimeLayout sort as text in the order they happened, whatever
// their fraction of a second.
func TestFormatTimeSortsAsText(t *testing.T) {
	t.Parallel()
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("BRT", -3*3600))
	times := []time.Time{base, base.Add(time.Microsecond), base.Add(10 * time.Millisecond), base.Add(time.Second), base.Add(time.Hour)}
	texts := make([]string, len(times))
	for i, at := range times {
		texts[i] = dynamo.FormatTime(at)
	}
	if !slices.IsSorted(texts) {
		t.Fatalf("formatted times %q do not sort as text", texts)
	}
	if texts[0] != "2025-03-01T15:00:00.000000Z" {
		t.Errorf("FormatTime = %q; want UTC with six fixed digits", texts[0])
	}
}

type describeFunc func(*dynamodb.DescribeTableInput) error

func (f describeFunc) DescribeTable(_ context.Context, in *dynamodb.DescribeTableInput, _ ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error) {
	return &dynamodb.DescribeTableOutput{}, f(in)
}

func TestPingNamesTheTable(t *testing.T) {
	t.Parallel()
	var asked string
	ok := describeFunc(func(in *dynamodb.DescribeTableInput) error { asked = aws.ToString(in.TableName); return nil })
	if err := dynamo.Ping(t.Context(), ok, "kitchen"); err != nil || asked != "kitchen" {
		t.Fatalf("Ping = %v, asked %q; want nil for table kitchen", err, asked)
	}
	down := errors.New("connection refused")
	err := dynamo.Ping(t.Context(), describeFunc(func(*dynamodb.DescribeTableInput) error { return down }), "kitchen")
	if !errors.Is(err, down) {
		t.Fatalf("Ping = %v; want it to wrap %v", err, down)
	}
}
