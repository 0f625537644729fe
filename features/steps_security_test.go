package features

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
)

// securityState is what the security scenarios remember besides the world.
type securityState struct {
	email   string                // an employee email no one else uses
	answers []*apiclient.Response // of repeated attempts
}

func (w *world) securitySteps(sc *godog.ScenarioContext) {
	var s securityState
	sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
		s = securityState{}
		return ctx, nil
	})
	// Every token a scenario held goes to the log scan.
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		seenTokens.add(w.employee)
		for _, a := range w.actors {
			seenTokens.add(a.token)
		}
		return ctx, err
	})
	sc.Step(`^the customer lists their orders with a token (.+)$`, w.listWithForgery)
	sc.Step(`^the customer asks for a token with their CPF and the role "([^"]*)"$`, func(ctx context.Context, role string) error {
		return w.tokenWithExtra(ctx, "role", role)
	})
	sc.Step(`^the customer asks for a token with their CPF and the staff password$`, func(ctx context.Context) error {
		return w.tokenWithExtra(ctx, "password", suite.EmployeePassword)
	})
	sc.Step(`^the customer opens the kitchen queue with their own token$`, w.customerOpensKitchen)
	sc.Step(`^the customer sends (GET|POST|PUT|DELETE) (\S+)$`, w.customerSends)
	sc.Step(`^"([^"]*)" looks up "([^"]*)"'s payment by its id$`, w.looksUpPaymentByID)
	sc.Step(`^an employee email no one has used yet$`, func() error {
		s.email = "nobody-" + uuid.NewString() + "@comanda.test"
		return nil
	})
	sc.Step(`^someone tries a wrong password for it (\d+) times?$`, func(ctx context.Context, n int) error {
		return w.guessPassword(ctx, &s, n)
	})
	sc.Step(`^someone tries a wrong password for it once more$`, func(ctx context.Context) error {
		return w.guessPassword(ctx, &s, 1)
	})
	sc.Step(`^every try was refused with (\d+) "([^"]*)"$`, func(status int, code string) error {
		return everyAnswer(s.answers, status, code)
	})
	sc.Step(`^the answer says when to try again$`, w.answerHasRetryAfter)
	sc.Step(`^the same signed notification about the payment arrives twice$`, func(ctx context.Context) error {
		return w.replayNotification(ctx, &s)
	})
	sc.Step(`^the first is accepted and the second acknowledged without being processed again$`, func() error {
		return replayAnswers(s.answers)
	})
}

func (w *world) listWithForgery(ctx context.Context, kind string) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	forge, ok := forgeries[kind]
	if !ok {
		return fmt.Errorf("no forgery %q", kind)
	}
	forged, err := forge(ctx, a.token)
	if err != nil {
		return err
	}
	seenTokens.add(forged)
	_, err = w.do(ctx, "GET", "/order", forged, nil)
	return err
}

// tokenWithExtra asks for a token with the customer's CPF and one field more.
func (w *world) tokenWithExtra(ctx context.Context, field, value string) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "POST", "/auth/token", "", map[string]string{"tax_id": a.taxID, field: value})
	return err
}

func (w *world) customerOpensKitchen(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "GET", "/production", a.token, nil)
	return err
}

// customerSends sends a request as the customer; {id} in path is a fresh id.
func (w *world) customerSends(ctx context.Context, method, path string) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	var body any
	if strings.HasPrefix(path, "/products") && method != "DELETE" {
		body = map[string]any{"name": "Contrabando", "description": "", "price": 0.01, "image_url": "",
			"preparation_time": 1, "category_id": uuid.NewString()}
	}
	_, err = w.do(ctx, method, strings.ReplaceAll(path, "{id}", uuid.NewString()), a.token, body)
	return err
}

func (w *world) looksUpPaymentByID(ctx context.Context, viewer, owner string) error {
	v, o, err := w.pair(viewer, owner)
	if err != nil {
		return err
	}
	p, err := w.getPayment(ctx, o)
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "GET", "/payment/"+p.ID, v.token, nil)
	return err
}

func (w *world) guessPassword(ctx context.Context, s *securityState, n int) error {
	if s.email == "" {
		return fmt.Errorf("no employee email chosen")
	}
	s.answers = nil
	for range n {
		res, err := w.do(ctx, "POST", "/auth/token", "", map[string]string{"email": s.email, "password": "guess-" + uuid.NewString()[:8]})
		if err != nil {
			return err
		}
		s.answers = append(s.answers, res)
	}
	return nil
}

func everyAnswer(answers []*apiclient.Response, status int, code string) error {
	if len(answers) == 0 {
		return fmt.Errorf("nothing was tried")
	}
	for _, res := range answers {
		if res.Status != status || res.ErrorCode() != code {
			return fmt.Errorf("want %d %q, got %s", status, code, res)
		}
	}
	return nil
}

func (w *world) answerHasRetryAfter() error {
	if w.last == nil {
		return fmt.Errorf("no request was made")
	}
	secs, err := strconv.Atoi(w.last.Header.Get("Retry-After"))
	if err != nil || secs < 1 || secs > 120 {
		return fmt.Errorf("Retry-After %q; want whole seconds, at most two minutes", w.last.Header.Get("Retry-After"))
	}
	return nil
}

// replayNotification posts one notification about the current order's
// payment, signed with the webhook secret as Mercado Pago signs, twice
// with the same x-request-id: a replay.
func (w *world) replayNotification(ctx context.Context, s *securityState) error {
	p, err := w.currentPayment(ctx)
	if err != nil {
		return err
	}
	dataID, requestID, ts := strconv.FormatInt(p.ProviderPaymentID, 10), uuid.NewString(), strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(suite.WebhookSecret))
	fmt.Fprintf(mac, "id:%s;request-id:%s;ts:%s;", dataID, requestID, ts)
	headers := map[string]string{"x-request-id": requestID, "x-signature": "ts=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))}
	body := []byte(`{"action":"payment.updated","type":"payment","data":{"id":"` + dataID + `"}}`)
	s.answers = nil
	for range 2 {
		res, err := w.api.DoWithHeaders(ctx, "POST", "/payment/webhook?data.id="+dataID+"&type=payment", headers, body)
		if err != nil {
			return err
		}
		s.answers = append(s.answers, res)
	}
	return nil
}

// currentPayment is the current order's payment, as its customer sees it.
func (w *world) currentPayment(ctx context.Context) (apiclient.Payment, error) {
	a, err := w.order()
	if err != nil {
		return apiclient.Payment{}, err
	}
	return w.getPayment(ctx, a)
}

// replayAnswers checks the first delivery was processed and the replay only
// acknowledged.
func replayAnswers(answers []*apiclient.Response) error {
	want := []string{"accepted", "duplicate"}
	if len(answers) != len(want) {
		return fmt.Errorf("%d deliveries sent; want 2", len(answers))
	}
	for i, res := range answers {
		var body struct{ Status string }
		if res.Status != 200 || json.Unmarshal(res.Body, &body) != nil || body.Status != want[i] {
			return fmt.Errorf("delivery %d: %s; want 200 %q", i+1, res, want[i])
		}
	}
	return nil
}
