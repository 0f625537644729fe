package awsconf_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// dynamoDB is a client of a DynamoDB at endpoint that makes each call once
// (attempts > 1: that many times, as the SDK retries).
func dynamoDB(endpoint string, attempts int) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:                          "us-east-1",
		BaseEndpoint:                    aws.String(endpoint),
		Credentials:                     credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts:                attempts,
		DisableValidateResponseChecksum: true,
	})
}

// answered is the error of a GetItem that DynamoDB answers with status and
// the error code, as AWS sends it: typed by the SDK where DynamoDB models
// the code, generic otherwise.
func answered(t *testing.T, status int, code string) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":"answered by the test"}`, code)
	}))
	defer srv.Close()
	return getItem(t, dynamoDB(srv.URL, 1))
}

func getItem(t *testing.T, db *dynamodb.Client) error {
	t.Helper()
	_, err := db.GetItem(t.Context(), &dynamodb.GetItemInput{TableName: aws.String("payments"),
		Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "p-1"}}})
	if err == nil {
		t.Fatal("GetItem succeeded; want the error the test set up")
	}
	return err
}

// refused is the error of a call to a port nobody listens on.
func refused(t *testing.T, attempts int) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return getItem(t, dynamoDB("http://"+addr, attempts))
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", refused(t, 1), true},
		{"connection refused, after the SDK's retries", refused(t, 2), true},
		{"connection reset", fmt.Errorf("get: %w", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}), true},
		{"timed out", fmt.Errorf("get: %w", context.DeadlineExceeded), true},
		{"500 InternalServerError", answered(t, http.StatusInternalServerError, "InternalServerError"), true},
		{"503 ServiceUnavailable", answered(t, http.StatusServiceUnavailable, "ServiceUnavailable"), true},
		{"502 without a code", answered(t, http.StatusBadGateway, ""), true},
		{"ProvisionedThroughputExceededException", answered(t, http.StatusBadRequest, "ProvisionedThroughputExceededException"), true},
		{"ThrottlingException", answered(t, http.StatusBadRequest, "ThrottlingException"), true},
		{"RequestLimitExceeded", answered(t, http.StatusBadRequest, "RequestLimitExceeded"), true},
		// An emulator's error the SDK could not type: only its code tells.
		{"generic throttling error", fmt.Errorf("put: %w", &smithy.GenericAPIError{Code: "ThrottlingException"}), true},
		{"generic InternalServerError", &smithy.GenericAPIError{Code: "InternalServerError"}, true},
		{"retry quota exhausted", errors.Join(errors.New("last attempt"), ratelimit.QuotaExceededError{Available: 0, Requested: 5}), true},
		{"ValidationException", answered(t, http.StatusBadRequest, "ValidationException"), false},
		{"ConditionalCheckFailedException", answered(t, http.StatusBadRequest, "ConditionalCheckFailedException"), false},
		{"ResourceNotFoundException", answered(t, http.StatusBadRequest, "ResourceNotFoundException"), false},
		{"generic conditional check failure", &smithy.GenericAPIError{Code: "ConditionalCheckFailedException"}, false},
		{"cancelled by the caller", fmt.Errorf("get: %w", context.Canceled), false},
		{"a bug", errors.New("encode payment: unsupported type"), false},
	}
	for _, tt := range tests {
		if got := awsconf.Unavailable(tt.err); got != tt.want {
			t.Errorf("Unavailable(%s: %v) = %v; want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
