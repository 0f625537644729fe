package production

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/uuid"

	"github.com/comanda/comanda/services/events"
	"github.com/comanda/comanda/services/platform/queue"
)

// dynamoRefusing is a DynamoDB client whose every call is answered with
// status and the error code, once (the SDK's retries are another matter,
// and slow for throttling).
func dynamoRefusing(t *testing.T, status int, code string) *dynamodb.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, `{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":"answered by the test"}`, code)
	}))
	t.Cleanup(srv.Close)
	return dynamodb.New(dynamodb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1, DisableValidateResponseChecksum: true,
	})
}

// While DynamoDB is unreachable or failing, an order paid waits for it
// (queue.Transient: requeued however many times, never dead-lettered for
// it); a write DynamoDB refuses as wrong keeps the ordinary retries.
func TestOrderPaidWaitsOutDynamoDB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		code      string
		transient bool
	}{
		{http.StatusInternalServerError, "InternalServerError", true},
		{http.StatusServiceUnavailable, "ServiceUnavailable", true},
		{http.StatusBadRequest, "ProvisionedThroughputExceededException", true},
		{http.StatusBadRequest, "RequestLimitExceeded", true},
		{http.StatusBadRequest, "ValidationException", false},
		{http.StatusBadRequest, "ResourceNotFoundException", false},
	}
	for _, tt := range tests {
		k := &Kitchen{store: newStore(dynamoRefusing(t, tt.status, tt.code), "kitchen-orders"), now: time.Now, log: testLog()}
		env, err := events.New(events.OrderPaid, events.OrderService, events.ProductionService, uuid.NewString(), events.OrderPaidPayload{
			OrderID: uuid.NewString(), CustomerName: "Bia", Items: []events.OrderItem{{Name: "X-Salada", Quantity: 1}},
		})
		if err != nil {
			t.Fatal(err)
		}
		err = k.HandleOrderPaid(t.Context(), env)
		if err == nil || errors.Is(err, queue.ErrTransient) != tt.transient || errors.Is(err, queue.ErrPermanent) {
			t.Errorf("DynamoDB answering %d %s: HandleOrderPaid = %v; want an error, transient: %v", tt.status, tt.code, err, tt.transient)
		}
	}
}
