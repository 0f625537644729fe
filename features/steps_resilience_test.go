package features

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/harness/pgcluster"
	"github.com/comanda/comanda/services/events"
)

// resilience is what a scenario of features/resilience remembers.
type resilience struct {
	// sent counts the SQS sends the proxy duplicated before the scenario
	// asked for duplicates.
	duplicatedBefore int
	// poison are markers of the poison messages the scenario put on queues.
	poison []string
	// dynamoRefusedBefore counts, by consumer, the DynamoDB calls earlier
	// outages refused.
	dynamoRefusedBefore map[string]int
}

func (w *world) resilienceSteps(sc *godog.ScenarioContext) {
	sc.After(func(ctx context.Context, s *godog.Scenario, _ error) (context.Context, error) {
		if isSerial(s) {
			return ctx, healSystem(context.WithoutCancel(ctx))
		}
		return ctx, nil
	})
	sc.Step(`^SQS refuses every message sent to it$`, func() error { return suite.FailSQSSends(-1) })
	sc.Step(`^SQS accepts messages again$`, func() { suite.ClearAWSFaults() })
	sc.Step(`^SQS delivers every message twice$`, func() error {
		w.res.duplicatedBefore = suite.AWSFaultStats().SendsDuplicated
		return suite.DuplicateSQSSends(-1)
	})
	sc.Step(`^the (\w+) service crashes$`, func(ctx context.Context, name string) error { return suite.KillService(ctx, name) })
	sc.Step(`^the (\w+) service is started again$`, func(ctx context.Context, name string) error { return suite.StartService(ctx, name) })
	sc.Step(`^the (\w+) service pauses$`, func(ctx context.Context, name string) error { return suite.PauseService(ctx, name) })
	sc.Step(`^the (\w+) service resumes$`, func(ctx context.Context, name string) error { return suite.ResumeService(ctx, name) })
	sc.Step(`^the payment service will die the next time it stores a payment$`, func() error {
		return suite.KillServiceAtNextWrite("payment", "payments")
	})
	sc.Step(`^the (\w+) service soon is down$`, w.serviceSoonDown)
	sc.Step(`^every one of the (\d+) messages about the order was sent twice$`, w.sentTwice)
	sc.Step(`^no message about the order was dead-lettered$`, w.nothingDeadLettered)
	sc.Step(`^a malformed message is put on the order service's queue$`, w.putMalformed)
	sc.Step(`^an event no service knows is put on the payment service's queue$`, w.putUnknownEvent)
	sc.Step(`^the poison messages soon are in the dead-letter queues, each with its reason$`, w.poisonDeadLettered)
	sc.Step(`^Mercado Pago's clock runs an hour ahead, so every PIX expiry we ask for is past$`, func(ctx context.Context) error {
		return w.fakeCall(ctx, "POST", "/_fake/clock", map[string]string{"advance": "1h"}, nil)
	})
	sc.Step(`^the order was cancelled because "([^"]*)"$`, w.cancelledBecause)
	sc.Step(`^PostgreSQL is down for (\d+) seconds? while Mercado Pago approves the payment$`, w.postgresDownWhileApproving)
	sc.Step(`^the customer soon can order again$`, w.ordersAgain)
	sc.Step(`^Mercado Pago approves the payment and sends its notification (\d+) times at once$`, w.approveAllAtOnce)
	sc.Step(`^the payment service settled the payment once, and the order became PAID once$`, w.settledOnce)
	sc.Step(`^DynamoDB is down for the (\w+) and (\w+) services$`, func(a, b string) error { return w.dynamoDown(a, b) })
	sc.Step(`^DynamoDB is back for the (\w+) service$`, func(name string) error { return suite.DynamoDBBack(name) })
	sc.Step(`^the order still is "([^"]*)"( without a QR code)? after the (payment service|kitchen) found DynamoDB down (\d+) times$`,
		w.orderWaitsForDynamoDB)
}

// healSystem undoes what a @serial scenario did to the shared system: AWS
// faults lifted, PostgreSQL and every service running.
func healSystem(ctx context.Context) error {
	suite.ClearAWSFaults()
	var errs []error
	if err := suite.StartPostgres(ctx); err != nil && !errors.Is(err, pgcluster.ErrExternal) {
		errs = append(errs, err)
	}
	for _, name := range suite.ServiceNames() {
		if !suite.ServiceRunning(name) {
			errs = append(errs, suite.StartService(ctx, name))
		}
	}
	return errors.Join(errs...)
}

func (w *world) serviceSoonDown(ctx context.Context, name string) error {
	return w.eventually(ctx, "the "+name+" service to be down", func() error {
		if suite.ServiceRunning(name) {
			return fmt.Errorf("the %s service is still running", name)
		}
		return nil
	})
}

func (w *world) sentTwice(ctx context.Context, n int) error {
	if got := suite.AWSFaultStats().SendsDuplicated - w.res.duplicatedBefore; got < n {
		return fmt.Errorf("%d SQS sends were delivered twice; want at least %d", got, n)
	}
	return nil
}

func (w *world) deadLettersAbout(ctx context.Context, marker string) ([]harness.DeadLetter, error) {
	all, err := suite.DeadLetters(ctx)
	if err != nil {
		return nil, err
	}
	var about []harness.DeadLetter
	for _, d := range all {
		if strings.Contains(d.Body, marker) {
			about = append(about, d)
		}
	}
	return about, nil
}

func (w *world) nothingDeadLettered(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	dead, err := w.deadLettersAbout(ctx, a.orderID)
	if err != nil {
		return err
	}
	if len(dead) > 0 {
		return fmt.Errorf("dead-lettered about order %s: %+v", a.orderID, dead)
	}
	return nil
}

func (w *world) putMalformed(ctx context.Context) error {
	marker := "poison-" + uuid.NewString()
	w.res.poison = append(w.res.poison, marker)
	return suite.SendMessage(ctx, events.OrderQueue, `{"meta": "`+marker+`", not json`)
}

func (w *world) putUnknownEvent(ctx context.Context) error {
	marker := "poison-" + uuid.NewString()
	env, err := events.New("order-exploded-event", events.OrderService, events.PaymentService, marker, map[string]string{"why": marker})
	if err != nil {
		return err
	}
	body, err := env.Marshal()
	if err != nil {
		return err
	}
	w.res.poison = append(w.res.poison, marker)
	return suite.SendMessage(ctx, events.PaymentQueue, string(body))
}

func (w *world) poisonDeadLettered(ctx context.Context) error {
	return w.eventually(ctx, "the poison messages dead-lettered", func() error {
		for _, marker := range w.res.poison {
			dead, err := w.deadLettersAbout(ctx, marker)
			if err != nil {
				return err
			}
			if len(dead) != 1 || dead[0].Reason == "" {
				return fmt.Errorf("dead letters of %s: %+v; want one, with a reason", marker, dead)
			}
		}
		return nil
	})
}

func (w *world) cancelledBecause(ctx context.Context, reason string) error {
	_, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	if o.Status != "CANCELLED" || !strings.Contains(o.CancellationReason, reason) {
		return fmt.Errorf("order is %s, cancelled because %q; want it to say %q", o.Status, o.CancellationReason, reason)
	}
	return nil
}

// postgresDownWhileApproving stops PostgreSQL, has Mercado Pago approve
// the payment (its webhook, the payment service and SQS carry on), and
// brings PostgreSQL back after the downtime.
func (w *world) postgresDownWhileApproving(ctx context.Context, seconds int) error {
	if _, err := w.mpPayment(ctx); err != nil {
		return err
	}
	if err := suite.StopPostgres(); err != nil {
		return err
	}
	approved := w.fakeAct(ctx, "approve")
	time.Sleep(time.Duration(seconds) * time.Second) // the outage itself
	return errors.Join(approved, suite.StartPostgres(ctx))
}

// ordersAgain places a new order for the current customer, retrying while
// the services still find their feet, and waits for its QR code.
func (w *world) ordersAgain(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	p, err := w.productNamed(ctx, "X-Burguer")
	if err != nil {
		return err
	}
	err = w.eventually(ctx, "a new order accepted", func() error {
		res, err := w.do(ctx, "POST", "/order", a.token, map[string]any{"items": []map[string]any{{"product_id": p.ID, "quantity": 1}}})
		if err != nil {
			return err
		}
		var o apiclient.Order
		if err := res.Expect(201, &o); err != nil {
			return err
		}
		a.orderID = o.ID
		return nil
	})
	if err != nil {
		return err
	}
	return w.orderAwaitsPayment(ctx)
}

// approveAllAtOnce holds the payment service (paused: callers wait on its
// address) while Mercado Pago approves the payment and sends the
// notification n times in all, then lets it go, so that the n deliveries
// reach it together.
func (w *world) approveAllAtOnce(ctx context.Context, n int) error {
	if _, err := w.mpPayment(ctx); err != nil {
		return err
	}
	if err := suite.PauseService(ctx, "payment"); err != nil {
		return err
	}
	err := w.approveAndRepeat(ctx, n)
	// The deliveries are goroutines of the fake: give them the moment
	// they need to be sent and queue up on the paused service.
	time.Sleep(300 * time.Millisecond)
	return errors.Join(err, suite.ResumeService(ctx, "payment"))
}

func (w *world) settledOnce(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	p, err := w.getPayment(ctx, a)
	if err != nil {
		return err
	}
	// Log lines reach the harness a moment after they are written (from a
	// container, through the engine): wait for each, then count.
	var settled, paid int
	err = w.eventually(ctx, "the log lines of the settlement", func() error {
		settled = logLines(`"payment settled"`, p.ID)
		paid = logLines(`"order status changed"`, a.orderID, `"to":"PAID"`)
		if settled == 0 || paid == 0 {
			return fmt.Errorf("%d lines say the payment was settled, %d that the order became PAID", settled, paid)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if settled != 1 || paid != 1 {
		return fmt.Errorf("the payment was settled %d times and the order became PAID %d times; want once each", settled, paid)
	}
	return nil
}

// logLines counts the service log lines that contain every one of needles.
func logLines(needles ...string) int {
	if found := suite.Logs(needles...); found != "" {
		return strings.Count(found, "\n") + 1
	}
	return 0
}
