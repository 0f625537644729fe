package features

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/authztest"
)

// TestServicesEnforceAuthorizationWithoutTheGateway sends every route of
// every service straight to the service's own address, as every kind of
// caller, with tokens the running system really issued (and forgeries of
// them): each service checks tokens and ownership itself, so nothing
// depends on the gateway being in front.
func TestServicesEnforceAuthorizationWithoutTheGateway(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	callers := realCallers(t)
	owner := callers[authztest.Owner]
	orderID, payment, kitchenID := paidOrder(ctx, t, owner, callers[authztest.Employee])
	unknown := uuid.NewString()
	product := `{"name":"Authz","description":"","price":1,"image_url":"","preparation_time":1,"category_id":"` + unknown + `"}`
	line := `{"items":[{"product_id":"9d0d0000-0000-4000-8000-000000000011","quantity":1}]}`
	tables := map[string][]authztest.Route{
		"auth": {
			{Method: "POST", Path: "/auth/token", Body: `{}`, Want: authztest.Public(200)},
			{Method: "GET", Path: "/auth/.well-known/jwks.json", Want: authztest.Public(200)},
		},
		"catalog": {
			{Method: "GET", Path: "/products", Want: authztest.Public(200)},
			{Method: "GET", Path: "/categories", Want: authztest.Public(200)},
			// The category does not exist: an employee gets that far, no one else does.
			{Method: "POST", Path: "/products", Body: product, Want: authztest.EmployeeOnly(404)},
			{Method: "PUT", Path: "/products/" + unknown, Body: product, Want: authztest.EmployeeOnly(404)},
			{Method: "DELETE", Path: "/products/" + unknown, Want: authztest.EmployeeOnly(404)},
		},
		"order": {
			{Method: "POST", Path: "/order", Body: line, Want: authztest.CustomersOnly(201)},
			{Method: "GET", Path: "/order", Want: authztest.AnyRole(200)},
			{Method: "GET", Path: "/order/" + orderID, Want: authztest.OwnerOrEmployee(200)},
			{Method: "PUT", Path: "/order/" + orderID + "/delivered", Want: authztest.EmployeeOnly(409)},
		},
		"payment": {
			{Method: "GET", Path: "/payment/" + payment.ID, Want: authztest.OwnerOrEmployee(200)},
			{Method: "GET", Path: "/payment?order_id=" + orderID, Want: authztest.OwnerOrEmployee(200)},
			{Method: "POST", Path: fmt.Sprintf("/payment/webhook?data.id=%d&type=payment", payment.ProviderPaymentID),
				Body: `{"type":"payment"}`, Want: authztest.Public(401), Code: "invalid_signature"},
		},
		"production": {
			{Method: "GET", Path: "/production", Want: authztest.EmployeeOnly(200)},
			{Method: "GET", Path: "/production/" + kitchenID, Want: authztest.EmployeeOnly(200)},
			{Method: "PUT", Path: "/production/" + kitchenID + "/started", Want: authztest.EmployeeOnly(200)},
			{Method: "PUT", Path: "/production/" + unknown + "/completed", Want: authztest.EmployeeOnly(404)},
		},
	}
	for name, routes := range tables {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			authztest.Check(t, authztest.BaseURL(suite.Services[name]), callers, routes)
		})
	}
}

// realCallers are tokens the auth service issued, and forgeries of them.
func realCallers(t *testing.T) authztest.Callers {
	t.Helper()
	auth := apiclient.New(suite.Services["auth"])
	registered := func(name string) string {
		cpf := apiclient.NewCPF()
		res, err := auth.Do(t.Context(), "POST", "/auth/customers", "", map[string]string{"tax_id": cpf, "name": name, "email": "authz-" + cpf + "@example.com"})
		if err != nil || res.Status != 201 {
			t.Fatalf("register %s: %v %v", name, res, err)
		}
		return tokenFor(t, auth, map[string]string{"tax_id": cpf})
	}
	c := authztest.Callers{
		authztest.Anonymous: tokenFor(t, auth, map[string]string{}),
		authztest.Owner:     registered("Dona"),
		authztest.Other:     registered("Outro"),
		authztest.Employee:  tokenFor(t, auth, map[string]string{"email": suite.EmployeeEmail, "password": suite.EmployeePassword}),
	}
	var err error
	if c[authztest.Forged], err = forgeries["signed by another key under the project's kid"](t.Context(), c[authztest.Other]); err != nil {
		t.Fatal(err)
	}
	if c[authztest.Tampered], err = tamper(c[authztest.Other], "role", token.RoleEmployee); err != nil {
		t.Fatal(err)
	}
	for _, tok := range c {
		seenTokens.add(tok)
	}
	return c
}

// paidOrder places an order as owner straight at the order service, has
// Mercado Pago approve it, and waits for its kitchen record.
func paidOrder(ctx context.Context, t *testing.T, owner, staff string) (orderID string, p apiclient.Payment, kitchenID string) {
	t.Helper()
	orders, payments, kitchen := apiclient.New(suite.Services["order"]), apiclient.New(suite.Services["payment"]), apiclient.New(suite.Services["production"])
	res, err := orders.Do(ctx, "POST", "/order", owner, map[string]any{"items": []apiclient.OrderLine{{ProductID: "9d0d0000-0000-4000-8000-000000000011", Quantity: 1}}})
	var o apiclient.Order
	if err != nil || res.Expect(201, &o) != nil {
		t.Fatalf("place an order: %v %v", res, err)
	}
	waitFor(t, "the payment", func() error {
		res, err := payments.Do(ctx, "GET", "/payment?order_id="+o.ID, owner, nil)
		if err != nil {
			return err
		}
		return res.Expect(200, &p)
	})
	// As fakepay approves it: through the fake's control API.
	res, err = apiclient.New(suite.FakeURL).Do(ctx, "POST", fmt.Sprintf("/_fake/payments/%d/approve", p.ProviderPaymentID), "", nil)
	if err != nil || res.Expect(200, nil) != nil {
		t.Fatalf("approve the payment at Mercado Pago: %v %v", res, err)
	}
	waitFor(t, "the kitchen record", func() error {
		res, err := kitchen.Do(ctx, "GET", "/production", staff, nil)
		if err != nil {
			return err
		}
		var list []apiclient.KitchenOrder
		if err := res.Expect(200, &list); err != nil {
			return err
		}
		for _, k := range list {
			if k.OrderID == o.ID {
				kitchenID = k.ID
				return nil
			}
		}
		return fmt.Errorf("order %s is not in the kitchen", o.ID)
	})
	return o.ID, p, kitchenID
}

// waitFor retries check until it passes, for 45 s at most.
func waitFor(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
