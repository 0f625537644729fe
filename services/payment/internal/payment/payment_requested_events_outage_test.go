package payment

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/queue"
)

// dynamoAnswer is how a test's DynamoDB answers one action.
type dynamoAnswer struct {
	status int
	body   string
}

// dynamoError is the answer of a DynamoDB refusing a call with code.
func dynamoError(status int, code string) dynamoAnswer {
	return dynamoAnswer{status, `{"__type":"com.amazonaws.dynamodb.v20120810#` + code + `","message":"answered by the test"}`}
}

// dynamoAnswering is a DynamoDB client whose calls are answered by action
// ("GetItem", "PutItem"…), each made once (the SDK's retries are another
// matter, and slow for throttling).
func dynamoAnswering(t *testing.T, answers map[string]dynamoAnswer) *dynamodb.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, action, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		a, ok := answers[action]
		if !ok {
			a = dynamoError(http.StatusBadRequest, "UnknownOperationException")
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1, DisableValidateResponseChecksum: true,
	})
}

// While DynamoDB is unreachable or failing, a payment request waits for it
// (queue.Transient: requeued however many times, never dead-lettered for
// it), whether the payment could not be looked up or, once made at Mercado
// Pago, not stored. A call DynamoDB refuses as wrong keeps the ordinary
// retries.
func TestPaymentRequestedWaitsOutDynamoDB(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	_, mpSrv := newFake(t)
	none := dynamoAnswer{http.StatusOK, `{}`} // GetItem: no such payment yet
	tests := []struct {
		name      string
		answers   map[string]dynamoAnswer
		transient bool
	}{
		{"down at the look-up", map[string]dynamoAnswer{"GetItem": dynamoError(http.StatusInternalServerError, "InternalServerError")}, true},
		{"unavailable at the look-up", map[string]dynamoAnswer{"GetItem": dynamoError(http.StatusServiceUnavailable, "ServiceUnavailable")}, true},
		{"throttling the look-up", map[string]dynamoAnswer{"GetItem": dynamoError(http.StatusBadRequest, "ProvisionedThroughputExceededException")}, true},
		{"down at the write", map[string]dynamoAnswer{"GetItem": none, "PutItem": dynamoError(http.StatusInternalServerError, "InternalServerError")}, true},
		{"throttling the write", map[string]dynamoAnswer{"GetItem": none, "PutItem": dynamoError(http.StatusBadRequest, "ThrottlingException")}, true},
		{"refusing the look-up as invalid", map[string]dynamoAnswer{"GetItem": dynamoError(http.StatusBadRequest, "ValidationException")}, false},
		{"refusing the write as invalid", map[string]dynamoAnswer{"GetItem": none, "PutItem": dynamoError(http.StatusBadRequest, "ValidationException")}, false},
	}
	for _, tt := range tests {
		domain := newDomain(t, env, mpSrv.URL, testWebhookURL)
		domain.store = newStore(dynamoAnswering(t, tt.answers), env.table)
		req, _ := paymentRequest(t, uuid.NewString(), 1000)
		err := domain.HandlePaymentRequested(t.Context(), req)
		if err == nil || errors.Is(err, queue.ErrTransient) != tt.transient || errors.Is(err, queue.ErrPermanent) {
			t.Errorf("DynamoDB %s: HandlePaymentRequested = %v; want an error, transient: %v", tt.name, err, tt.transient)
		}
	}
}
