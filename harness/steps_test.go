package harness_test

import (
	"context"

	"github.com/cucumber/godog"
)

func initializeScenario(sc *godog.ScenarioContext) {
	w := newWorld()
	sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
		*w = *newWorld()
		return ctx, nil
	})
	w.customerSteps(sc)
	w.orderSteps(sc)
	w.paymentSteps(sc)
	w.kitchenSteps(sc)
	w.privacySteps(sc)
	w.menuSteps(sc)
}
