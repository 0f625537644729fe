package awsconf

import (
	"context"
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// Unavailable reports whether err, from a call to AWS (DynamoDB above all),
// says that AWS could not be reached or is failing for now rather than that
// the call itself was wrong: a connection refused or reset, a timeout, a
// 5xx, throttling. Waiting, then trying again, cures it. A validation
// error, a failed condition or a missing table is not unavailability. By
// the time a call returns such an error the SDK has retried it a few times
// already; event handlers mark what is left queue.Transient, so that an
// outage of DynamoDB, however long, never dead-letters an event.
//
// The error code is read from the generic smithy.APIError, never from the
// typed errors, which an emulator's answers do not always unmarshal into.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && failingCode(apiErr.ErrorCode()) {
		return true
	}
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) && status.HTTPStatusCode() >= http.StatusInternalServerError {
		return true
	}
	// The SDK's retry quota runs dry after many failed attempts in a row:
	// the calls then fail at once, still for the outage.
	var quota ratelimit.QuotaExceededError
	if errors.As(err, &quota) {
		return true
	}
	return retry.RetryableConnectionError{}.IsErrorRetryable(err).Bool()
}

// serverErrorCodes are the codes of AWS failing on its side. They come with
// a 5xx, but an emulator may send them with another status.
var serverErrorCodes = map[string]struct{}{
	"InternalServerError":         {},
	"InternalFailure":             {},
	"InternalError":               {},
	"ServiceUnavailable":          {},
	"ServiceUnavailableException": {},
}

// failingCode reports whether an API error code says AWS is throttling,
// timing out or failing: the SDK's own lists of throttling and retryable
// codes (ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded, RequestTimeout…), and the server errors.
func failingCode(code string) bool {
	_, throttled := retry.DefaultThrottleErrorCodes[code]
	_, retryable := retry.DefaultRetryableErrorCodes[code]
	_, failing := serverErrorCodes[code]
	return throttled || retryable || failing
}
