package harness

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// dynamoCall is one attempt of a DynamoDB call of the door's service.
func dynamoCall(t *testing.T, d *awsDoor, target, attempt string) *http.Response {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), http.MethodPost, d.url+"/", strings.NewReader(`{"TableName":"payments"}`))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("X-Amz-Target", target)
	if attempt != "" {
		r.Header.Set("Amz-Sdk-Request", "attempt="+attempt+"; max=4")
	}
	res, err := d.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return res
}

// DynamoDB down for one service answers its DynamoDB calls as AWS does in
// an outage, and counts each call once, however many attempts the SDK
// makes of it; the other services, and the service's other AWS calls, go
// through until DynamoDB is back.
func TestDynamoDBDownRefusesOneServicesCalls(t *testing.T) {
	p, err := newAWSProxy(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{}`)
	}), "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	payment, order := p.open("payment"), p.open("order")
	t.Cleanup(p.close)
	p.set(func(f *awsFaults) { f.dynamoDown["payment"] = true })

	for _, attempt := range []string{"1", "2", "3", "4", "1", ""} {
		if res := dynamoCall(t, payment, "DynamoDB_20120810.GetItem", attempt); res.StatusCode != http.StatusInternalServerError {
			t.Fatalf("GetItem attempt %q while DynamoDB is down: %d; want 500", attempt, res.StatusCode)
		}
	}
	if res := dynamoCall(t, payment, "AmazonSQS.ReceiveMessage", "1"); res.StatusCode != http.StatusOK {
		t.Errorf("SQS while DynamoDB is down: %d; want it to go through", res.StatusCode)
	}
	if res := dynamoCall(t, order, "DynamoDB_20120810.GetItem", "1"); res.StatusCode != http.StatusOK {
		t.Errorf("another service's GetItem: %d; want it to go through", res.StatusCode)
	}
	if n, all := p.refusedCalls("payment", "GetItem"), p.counts().DynamoCallsRefused; n != 3 || all != 3 {
		t.Errorf("refused GetItem calls = %d (all: %d); want 3: two numbered first attempts and one call unnumbered", n, all)
	}

	p.set(func(f *awsFaults) { *f = noAWSFaults() })
	if res := dynamoCall(t, payment, "DynamoDB_20120810.GetItem", "1"); res.StatusCode != http.StatusOK {
		t.Errorf("GetItem once DynamoDB is back: %d; want 200", res.StatusCode)
	}
}
