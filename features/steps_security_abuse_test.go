package features

import (
	"context"
	"fmt"
	"sync"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/services/events"
)

// abuseState is what the abuse scenarios remember besides the world.
type abuseState struct {
	answers []*apiclient.Response // of a burst, in the order sent or answered
	forged  []string              // markers of the forged events put on a queue
}

func (w *world) abuseSteps(sc *godog.ScenarioContext) {
	var s abuseState
	sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
		s = abuseState{}
		return ctx, nil
	})
	sc.Step(`^someone sends (\d+) wrong passwords for the employee at once$`, func(ctx context.Context, n int) error {
		return w.guessAtOnce(ctx, &s, n)
	})
	sc.Step(`^at most (\d+) of them were checked against the password$`, func(n int) error {
		return checkedAtMost(s.answers, n)
	})
	sc.Step(`^the others were refused with 429 "rate_limited"$`, func() error {
		return othersRefused(s.answers, 401, "rate_limited")
	})
	sc.Step(`^someone has tried wrong passwords for the employee until refused$`, w.guessUntilRefused)
	sc.Step(`^they try again claiming other addresses in every header a proxy might set$`, w.guessWithSpoofedAddress)
	sc.Step(`^the employee still logs in with the right password from another address$`, w.employeeLogsInElsewhere)
	sc.Step(`^the customer places (\d+) orders at once$`, func(ctx context.Context, n int) error {
		return w.ordersAtOnce(ctx, &s, n)
	})
	sc.Step(`^(\d+) orders were placed and (\d+) refused with 429 "too_many_open_orders"$`, func(placed, refused int) error {
		return countAnswers(s.answers, map[int]int{201: placed, 429: refused}, "too_many_open_orders")
	})
	sc.Step(`^another anonymous customer still can order$`, w.anotherCustomerOrders)
	sc.Step(`^a totem asks for (\d+) anonymous tokens in a row$`, func(ctx context.Context, n int) error {
		return w.anonymousTokens(ctx, &s, n)
	})
	sc.Step(`^the first (\d+) were granted and the last refused with 429 "rate_limited"$`, func(n int) error {
		return firstGranted(s.answers, n)
	})
	sc.Step(`^another totem still gets an anonymous token$`, w.anotherTotemGetsAToken)
	sc.Step(`^a payment-completed event for the order is put on the order service's queue (by the kitchen|for 1 centavo|about another payment)$`,
		func(ctx context.Context, how string) error { return w.forgePaymentEvent(ctx, &s, how) })
	sc.Step(`^the forged events soon are in the dead-letter queue, each with its reason$`, func(ctx context.Context) error {
		return w.forgedDeadLettered(ctx, &s)
	})
}

// wrongPassword is a login of the bootstrap employee that fails.
func wrongPassword() map[string]string {
	return map[string]string{"email": suite.EmployeeEmail, "password": "guess-" + uuid.NewString()[:8]}
}

// burst sends n requests at once through send, and keeps every answer.
func burst(n int, send func() (*apiclient.Response, error)) ([]*apiclient.Response, error) {
	answers := make([]*apiclient.Response, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { answers[i], errs[i] = send() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return answers, nil
}

func (w *world) guessAtOnce(ctx context.Context, s *abuseState, n int) error {
	var err error
	s.answers, err = burst(n, func() (*apiclient.Response, error) {
		return w.api.Do(ctx, "POST", "/auth/token", "", wrongPassword())
	})
	return err
}

// checkedAtMost checks that between one and n answers were a password
// check's refusal (401): the rest never reached the password.
func checkedAtMost(answers []*apiclient.Response, n int) error {
	checked := 0
	for _, res := range answers {
		if res.Status == 401 {
			checked++
		}
	}
	if checked < 1 || checked > n {
		return fmt.Errorf("%d of %d guesses were checked against the password; want 1 to %d", checked, len(answers), n)
	}
	return nil
}

// othersRefused checks that every answer but the status checked is 429 code.
func othersRefused(answers []*apiclient.Response, checked int, code string) error {
	for _, res := range answers {
		if res.Status != checked && (res.Status != 429 || res.ErrorCode() != code || res.Header.Get("Retry-After") == "") {
			return fmt.Errorf("want 429 %q with Retry-After, got %s", code, res)
		}
	}
	return nil
}

func (w *world) guessUntilRefused(ctx context.Context) error {
	for range 10 {
		res, err := w.do(ctx, "POST", "/auth/token", "", wrongPassword())
		if err != nil {
			return err
		}
		if res.Status == 429 {
			return nil
		}
	}
	return fmt.Errorf("10 wrong passwords in a row were never refused: %s", w.last)
}

// guessWithSpoofedAddress tries once more, each header a proxy might set
// naming another client.
func (w *world) guessWithSpoofedAddress(ctx context.Context) error {
	headers := map[string]string{
		"X-Forwarded-For":     "203.0.113.10",
		"Forwarded":           "for=203.0.113.11",
		"X-Real-Ip":           "203.0.113.12",
		"True-Client-Ip":      "203.0.113.13",
		"X-Client-Ip":         "203.0.113.14",
		"X-Comanda-Client-Ip": "203.0.113.15",
	}
	body := fmt.Appendf(nil, `{"email":%q,"password":"guess-%s"}`, suite.EmployeeEmail, uuid.NewString()[:8])
	res, err := w.api.DoWithHeaders(ctx, "POST", "/auth/token", headers, body)
	if err != nil {
		return err
	}
	w.last = res
	return nil
}

// employeeLogsInElsewhere logs the employee in from an address of its own.
func (w *world) employeeLogsInElsewhere(ctx context.Context) error {
	elsewhere := apiclient.NewFrom(suite.GatewayURL, clientAddresses.next())
	defer elsewhere.HTTP.CloseIdleConnections()
	res, err := w.loginEmployee(ctx, elsewhere)
	if err != nil {
		return err
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		return fmt.Errorf("the employee was refused: %w", err)
	}
	return nil
}

func (w *world) ordersAtOnce(ctx context.Context, s *abuseState, n int) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	body, err := w.oneBurger(ctx)
	if err != nil {
		return err
	}
	s.answers, err = burst(n, func() (*apiclient.Response, error) { return w.api.Do(ctx, "POST", "/order", a.token, body) })
	return err
}

// oneBurger is the body of an order for one X-Burguer.
func (w *world) oneBurger(ctx context.Context) (map[string]any, error) {
	p, err := w.productNamed(ctx, "X-Burguer")
	if err != nil {
		return nil, err
	}
	return map[string]any{"items": []apiclient.OrderLine{{ProductID: p.ID, Quantity: 1}}}, nil
}

// countAnswers checks how many answers had each status; the refusals
// (429) must carry code.
func countAnswers(answers []*apiclient.Response, want map[int]int, code string) error {
	got := map[int]int{}
	for _, res := range answers {
		got[res.Status]++
		if res.Status == 429 && res.ErrorCode() != code {
			return fmt.Errorf("refused with %q; want %q", res.ErrorCode(), code)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("answers by status %v; want %v", got, want)
	}
	return nil
}

func (w *world) anotherCustomerOrders(ctx context.Context) error {
	if err := w.anonymousCustomer(ctx); err != nil {
		return err
	}
	body, err := w.oneBurger(ctx)
	if err != nil {
		return err
	}
	res, err := w.do(ctx, "POST", "/order", w.current.token, body)
	if err != nil {
		return err
	}
	return res.Expect(201, nil)
}

func (w *world) anonymousTokens(ctx context.Context, s *abuseState, n int) error {
	s.answers = nil
	for range n {
		res, err := w.do(ctx, "POST", "/auth/token", "", map[string]string{})
		if err != nil {
			return err
		}
		s.answers = append(s.answers, res)
	}
	return nil
}

// firstGranted checks that the first n answers were tokens and the rest
// 429 rate_limited.
func firstGranted(answers []*apiclient.Response, n int) error {
	for i, res := range answers {
		switch {
		case i < n && res.Status != 200:
			return fmt.Errorf("token %d refused: %s", i+1, res)
		case i >= n && (res.Status != 429 || res.ErrorCode() != "rate_limited"):
			return fmt.Errorf("token %d: %s; want 429 \"rate_limited\"", i+1, res)
		}
	}
	if len(answers) <= n {
		return fmt.Errorf("only %d tokens were asked for", len(answers))
	}
	return nil
}

func (w *world) anotherTotemGetsAToken(ctx context.Context) error {
	other := apiclient.NewFrom(suite.GatewayURL, clientAddresses.next())
	defer other.HTTP.CloseIdleConnections()
	res, err := other.Do(ctx, "POST", "/auth/token", "", map[string]string{})
	if err != nil {
		return err
	}
	return res.Expect(200, nil)
}

// forgePaymentEvent puts on the order service's queue a payment-completed
// event for the current order that cannot be true: sent by the kitchen,
// for another amount, or about another payment. Its correlation id marks
// it, to find it in the dead-letter queue.
func (w *world) forgePaymentEvent(ctx context.Context, s *abuseState, how string) error {
	a, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	p, err := w.getPayment(ctx, a)
	if err != nil {
		return err
	}
	total, err := o.Total.Float64()
	if err != nil {
		return err
	}
	source, payload := events.PaymentService, events.PaymentPayload{PaymentID: p.ID, OrderID: o.ID, Status: "APPROVED",
		AmountCents: int64(total*100 + 0.5), ProviderPaymentID: p.ProviderPaymentID}
	switch how {
	case "by the kitchen":
		source = events.ProductionService
	case "for 1 centavo":
		payload.AmountCents = 1
	default:
		payload.PaymentID = uuid.NewString()
	}
	marker := "forged-" + uuid.NewString()
	env, err := events.New(events.PaymentCompleted, source, events.OrderService, marker, payload)
	if err != nil {
		return err
	}
	body, err := env.Marshal()
	if err != nil {
		return err
	}
	s.forged = append(s.forged, marker)
	return suite.SendMessage(ctx, events.OrderQueue, string(body))
}

func (w *world) forgedDeadLettered(ctx context.Context, s *abuseState) error {
	if len(s.forged) == 0 {
		return fmt.Errorf("no event was forged")
	}
	return w.eventually(ctx, "the forged events dead-lettered", func() error {
		for _, marker := range s.forged {
			dead, err := w.deadLettersAbout(ctx, marker)
			if err != nil {
				return err
			}
			if len(dead) != 1 || dead[0].Queue != events.OrderQueue || dead[0].Reason == "" {
				return fmt.Errorf("dead letters of %s: %+v; want one from the order queue, with a reason", marker, dead)
			}
		}
		return nil
	})
}
