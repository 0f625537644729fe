package payment

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/uuid"
)

func newStoredPayment(customerID string) Payment {
	orderID := uuid.NewString()
	now := time.Now().UTC().Truncate(time.Millisecond)
	return Payment{
		ID: IDForOrder(orderID), OrderID: orderID, CustomerID: customerID, Status: StatusPending,
		Amount: 2590, ProviderPaymentID: 1000000042, QRCode: "000201…", QRCodeBase64: "iVBORw0KGgo=",
		TicketURL: "https://example.test/pix/1000000042", ExpiresAt: now.Add(30 * time.Minute),
		CreatedAt: now, UpdatedAt: now, CorrelationID: "corr-" + orderID,
	}
}

func TestStoreCreateIsOncePerOrder(t *testing.T) {
	t.Parallel()
	store := newAWSEnv(t).store()
	ctx := context.Background()
	p := newStoredPayment(uuid.NewString())
	if err := store.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	second := p
	second.ProviderPaymentID, second.Amount = 999, 1
	if err := store.Create(ctx, second); !errors.Is(err, ErrPaymentExists) {
		t.Fatalf("second Create = %v; want ErrPaymentExists", err)
	}
	got, err := store.Get(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Fatalf("stored payment changed:\n got %+v\nwant %+v", got, p)
	}
	byOrder, err := store.FindByOrder(ctx, p.OrderID)
	if err != nil || byOrder != p {
		t.Fatalf("FindByOrder = %+v, %v; want %+v", byOrder, err, p)
	}
}

func TestStoreNotFound(t *testing.T) {
	t.Parallel()
	store := newAWSEnv(t).store()
	ctx := context.Background()
	if _, err := store.Get(ctx, uuid.NewString()); !errors.Is(err, ErrPaymentNotFound) {
		t.Errorf("Get = %v; want ErrPaymentNotFound", err)
	}
	if _, err := store.FindByOrder(ctx, uuid.NewString()); !errors.Is(err, ErrPaymentNotFound) {
		t.Errorf("FindByOrder = %v; want ErrPaymentNotFound", err)
	}
	if _, _, err := store.Settle(ctx, uuid.NewString(), 1, 100, StatusApproved, time.Now()); !errors.Is(err, ErrPaymentNotFound) {
		t.Errorf("Settle = %v; want ErrPaymentNotFound", err)
	}
}

func TestStoreSettleNeverGoesBackwards(t *testing.T) {
	t.Parallel()
	store := newAWSEnv(t).store()
	ctx := context.Background()
	p := newStoredPayment(uuid.NewString())
	if err := store.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	at := p.CreatedAt.Add(time.Minute)
	got, changed, err := store.Settle(ctx, p.ID, p.ProviderPaymentID, p.Amount, StatusApproved, at)
	if err != nil || !changed || got.Status != StatusApproved || !got.UpdatedAt.Equal(at) {
		t.Fatalf("Settle to APPROVED = %s %v %v (updated %v); want APPROVED, changed", got.Status, changed, err, got.UpdatedAt)
	}
	for _, to := range []Status{StatusApproved, StatusRejected, StatusCancelled} {
		got, changed, err := store.Settle(ctx, p.ID, p.ProviderPaymentID, p.Amount, to, at.Add(time.Minute))
		if err != nil || changed || got.Status != StatusApproved || !got.UpdatedAt.Equal(at) {
			t.Errorf("Settle(APPROVED → %s) = %s %v %v; want it unchanged", to, got.Status, changed, err)
		}
	}
	if _, _, err := store.Settle(ctx, p.ID, p.ProviderPaymentID, p.Amount, StatusPending, at); err == nil {
		t.Error("Settle to PENDING succeeded; a state never goes backwards")
	}
	if got, _ := store.Get(ctx, p.ID); got.Status != StatusApproved || got.QRCode != p.QRCode {
		t.Errorf("after the refused moves: %+v", got)
	}
}

// Settle moves a payment only if it holds the Mercado Pago payment named;
// otherwise it returns the record as it is, unchanged.
func TestStoreSettleChecksTheMercadoPagoPayment(t *testing.T) {
	t.Parallel()
	store := newAWSEnv(t).store()
	ctx := context.Background()
	p := newStoredPayment(uuid.NewString())
	if err := store.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	at := p.CreatedAt.Add(time.Minute)
	got, changed, err := store.Settle(ctx, p.ID, p.ProviderPaymentID+1, p.Amount, StatusApproved, at)
	if err != nil || changed || got != p {
		t.Fatalf("Settle with another Mercado Pago payment = %+v %v %v; want the record unchanged", got, changed, err)
	}
	got, changed, err = store.Settle(ctx, p.ID, p.ProviderPaymentID, p.Amount, StatusRejected, at)
	if err != nil || !changed || got.Status != StatusRejected || !got.UpdatedAt.Equal(at) {
		t.Fatalf("Settle = %+v %v %v; want REJECTED, changed", got, changed, err)
	}
	if _, _, err := store.Settle(ctx, uuid.NewString(), 1, 100, StatusApproved, at); !errors.Is(err, ErrPaymentNotFound) {
		t.Errorf("Settle of no payment = %v; want ErrPaymentNotFound", err)
	}
}

// A notification whose update finds no record, while the request that
// creates it stores it a moment later, must still settle it: the record
// is read back PENDING, and the update is made again. (Before, that
// notification was acknowledged unsettled and the order waited for ever.)
func TestStoreSettleRacingTheCreation(t *testing.T) {
	t.Parallel()
	env := newAWSEnv(t)
	p := newStoredPayment(uuid.NewString())
	creator := env.store()
	var once sync.Once
	// The record is stored right after the first UpdateItem was refused.
	db := dynamodb.New(env.clients.DynamoDB.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(slices.Clip(o.APIOptions), func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("createAfterRefusal",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleInitialize(ctx, in)
					if awsmiddleware.GetOperationName(ctx) == "UpdateItem" && err != nil {
						once.Do(func() {
							if cerr := creator.Create(context.WithoutCancel(ctx), p); cerr != nil {
								t.Errorf("create: %v", cerr)
							}
						})
					}
					return out, md, err
				}), middleware.After)
		})
	})
	got, changed, err := newStore(db, env.table).Settle(t.Context(), p.ID, p.ProviderPaymentID, p.Amount, StatusApproved, time.Now())
	if err != nil || !changed || got.Status != StatusApproved {
		t.Fatalf("Settle racing the creation = %s, changed %v, %v; want APPROVED, changed", got.Status, changed, err)
	}
}
