package payment

import (
	"context"
	"maps"
	"testing"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/google/uuid"
)

// countingDomain is newDomain whose store counts its DynamoDB calls.
func countingDomain(t *testing.T, env *awsEnv, baseURL string) (*Payments, *awstest.Calls) {
	t.Helper()
	domain := newDomain(t, env, baseURL, testWebhookURL)
	calls := &awstest.Calls{}
	domain.store = newStore(calls.DynamoDB(env.clients.DynamoDB), env.table)
	return domain, calls
}

// The DynamoDB calls an order costs the payment service are what the
// service is sized for; this fails if one comes back.
func TestDynamoDBCallsPerOrder(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	fake, mpSrv := newFake(t)
	domain, calls := countingDomain(t, env, mpSrv.URL)
	ctx := context.Background()
	req, orderID := paymentRequest(t, uuid.NewString(), 1990)

	step := func(name string, want map[string]int, do func() error) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := calls.Take(); !maps.Equal(got, want) {
			t.Errorf("%s: DynamoDB calls %v; want %v", name, got, want)
		}
	}
	step("payment requested", map[string]int{"GetItem": 1, "PutItem": 1}, func() error {
		return domain.HandlePaymentRequested(ctx, req)
	})
	step("request redelivered", map[string]int{"GetItem": 1}, func() error {
		return domain.HandlePaymentRequested(ctx, req)
	})
	mp, _ := fake.FindByExternalReference(orderID)
	step("pending notification", map[string]int{}, func() error {
		return domain.HandleNotification(ctx, mp.ID)
	})
	step("approval notification", map[string]int{"UpdateItem": 1}, func() error {
		if _, err := fake.Approve(ctx, mp.ID); err != nil {
			return err
		}
		return domain.HandleNotification(ctx, mp.ID)
	})

	// A repeated notification is refused by the condition; DynamoDB sends
	// the record back with the refusal, kumo does not (a read more).
	if err := domain.HandleNotification(ctx, mp.ID); err != nil {
		t.Fatal(err)
	}
	if got := calls.Take(); got["UpdateItem"] != 1 || got["GetItem"] > 1 || len(got) > 2 {
		t.Errorf("repeated notification: DynamoDB calls %v; want one UpdateItem, at most one GetItem", got)
	}
	if p, _ := env.store().Get(ctx, IDForOrder(orderID)); p.Status != StatusApproved {
		t.Errorf("payment is %s; want APPROVED", p.Status)
	}
}
