package auth

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"
)

func newTestStore(t *testing.T) (*testEnv, *store) {
	t.Helper()
	e := newTestEnv(t)
	return e, newStore(e.clients.DynamoDB, e.cfg.CustomersTable)
}

func newTestCustomer(t *testing.T) Customer {
	t.Helper()
	c, err := NewCustomer(randomCPF(), "Store Test", "store@example.com")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCustomerStoreCreateAndFind(t *testing.T) {
	t.Parallel()
	_, s := newTestStore(t)
	c := newTestCustomer(t)
	if err := s.Create(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindByTaxID(t.Context(), c.TaxID)
	if err != nil || got != c {
		t.Fatalf("FindByTaxID = %+v, %v; want %+v", got, err, c)
	}
	twin := newTestCustomer(t)
	twin.TaxID = c.TaxID
	if err := s.Create(t.Context(), twin); !errors.Is(err, ErrCustomerExists) {
		t.Fatalf("Create of a taken CPF = %v, want ErrCustomerExists", err)
	}
	if _, err := s.FindByTaxID(t.Context(), CPF(randomCPF())); !errors.Is(err, ErrCustomerNotFound) {
		t.Fatalf("FindByTaxID of an unknown CPF = %v, want ErrCustomerNotFound", err)
	}
}

// laggingIndex is a table whose tax_id index has not caught up yet.
type laggingIndex struct{ DynamoDB }

func (laggingIndex) Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return &dynamodb.QueryOutput{}, nil
}

func TestCustomerStoreFindsThroughGuardWhileIndexLags(t *testing.T) {
	t.Parallel()
	e, s := newTestStore(t)
	c := newTestCustomer(t)
	if err := s.Create(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	lagging := newStore(laggingIndex{e.clients.DynamoDB}, e.cfg.CustomersTable)
	got, err := lagging.FindByTaxID(t.Context(), c.TaxID)
	if err != nil || got != c {
		t.Fatalf("FindByTaxID = %+v, %v; want %+v", got, err, c)
	}
}

// conflictOnce cancels the first transaction as DynamoDB does when another
// transaction touches the same item at the same moment.
type conflictOnce struct {
	DynamoDB
	failed bool
}

func (c *conflictOnce) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if !c.failed {
		c.failed = true
		return nil, &smithy.GenericAPIError{Code: "TransactionCanceledException", Message: "[None, TransactionConflict]"}
	}
	return c.DynamoDB.TransactWriteItems(ctx, in, opts...)
}

func TestCustomerStoreRetriesATransactionConflict(t *testing.T) {
	t.Parallel()
	e, _ := newTestStore(t)
	s := newStore(&conflictOnce{DynamoDB: e.clients.DynamoDB}, e.cfg.CustomersTable)
	c := newTestCustomer(t)
	if err := s.Create(t.Context(), c); err != nil {
		t.Fatalf("Create after a conflict = %v", err)
	}
	if _, err := s.FindByTaxID(t.Context(), c.TaxID); err != nil {
		t.Fatal(err)
	}
}
