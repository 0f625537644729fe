package features

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	"github.com/comanda/comanda/harness/apiclient"
)

func (w *world) customerSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a registered customer named "([^"]*)"$`, w.registeredCustomer)
	sc.Step(`^an anonymous customer$`, w.anonymousCustomer)
	sc.Step(`^another anonymous customer$`, w.anonymousCustomer)
	sc.Step(`^the two anonymous customers have different ids$`, w.anonymousCustomersDiffer)
	sc.Step(`^the customer asks for a token with the CPF formatted with dots and a dash$`, w.tokenWithFormattedCPF)
	sc.Step(`^the customer gets a token in their own name$`, w.tokenInOwnName)
	sc.Step(`^the answer is (\d+) "([^"]*)"$`, w.answerIs)
}

func (w *world) registeredCustomer(ctx context.Context, name string) error {
	a := &actor{name: name, taxID: apiclient.NewCPF()}
	email := strings.ToLower(name) + "." + a.taxID + "@example.com"
	res, err := w.do(ctx, "POST", "/auth/customers", "", map[string]string{"tax_id": a.taxID, "name": name, "email": email})
	if err != nil {
		return err
	}
	var c apiclient.Customer
	if err := res.Expect(201, &c); err != nil {
		return err
	}
	if c.ID == "" || c.TaxID != a.taxID || c.Name != name || c.Email != email {
		return fmt.Errorf("registration answered %s", res.Body)
	}
	a.id = c.ID
	if err := w.identify(ctx, a, map[string]string{"tax_id": a.taxID}); err != nil {
		return err
	}
	w.actors[name], w.current = a, a
	return nil
}

func (w *world) anonymousCustomer(ctx context.Context) error {
	a := &actor{name: fmt.Sprintf("anonymous #%d", len(w.anon)+1)}
	if err := w.identify(ctx, a, map[string]string{}); err != nil {
		return err
	}
	w.anon = append(w.anon, a)
	w.actors[a.name], w.current = a, a
	return nil
}

// identify asks for a customer token and checks it names the customer.
func (w *world) identify(ctx context.Context, a *actor, body map[string]string) error {
	res, err := w.do(ctx, "POST", "/auth/token", "", body)
	if err != nil {
		return err
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		return err
	}
	if tok.TokenType != "Bearer" || tok.AccessToken == "" || tok.ExpiresIn <= 0 || tok.Customer == nil || tok.Customer.ID == "" {
		return fmt.Errorf("token answer lacks fields: %s", res.Body)
	}
	if a.id != "" && tok.Customer.ID != a.id {
		return fmt.Errorf("token is for customer %s, want %s", tok.Customer.ID, a.id)
	}
	a.id, a.token = tok.Customer.ID, tok.AccessToken
	return nil
}

func (w *world) anonymousCustomersDiffer() error {
	if len(w.anon) != 2 {
		return fmt.Errorf("want two anonymous customers, have %d", len(w.anon))
	}
	if w.anon[0].id == w.anon[1].id || w.anon[0].token == w.anon[1].token {
		return fmt.Errorf("both anonymous customers are %s", w.anon[0].id)
	}
	return nil
}

func (w *world) tokenWithFormattedCPF(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	return w.identify(ctx, a, map[string]string{"tax_id": apiclient.FormatCPF(a.taxID)})
}

func (w *world) tokenInOwnName(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	var tok apiclient.Token
	if err := w.last.Expect(200, &tok); err != nil {
		return err
	}
	if tok.Customer == nil || tok.Customer.Name != a.name || tok.Customer.ID != a.id {
		return fmt.Errorf("token names %s, want %s (%s)", w.last.Body, a.name, a.id)
	}
	return nil
}

func (w *world) answerIs(status int, code string) error {
	if w.last == nil {
		return fmt.Errorf("no request was made")
	}
	if w.last.Status != status || w.last.ErrorCode() != code {
		return fmt.Errorf("want %d %q, got %s", status, code, w.last)
	}
	return nil
}
