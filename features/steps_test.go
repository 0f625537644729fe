package features

import (
	"context"

	"github.com/cucumber/godog"
)

func initializeScenario(sc *godog.ScenarioContext) {
	w := newWorld()
	sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
		*w = *newWorld()
		if isSerial(s) {
			return ctx, w.resetFakeFaults(ctx)
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, s *godog.Scenario, _ error) (context.Context, error) {
		w.api.HTTP.CloseIdleConnections()
		if isSerial(s) {
			return ctx, w.resetFakeFaults(context.WithoutCancel(ctx))
		}
		return ctx, nil
	})
	w.customerSteps(sc)
	w.orderSteps(sc)
	w.paymentSteps(sc)
	w.notificationSteps(sc)
	w.paymentLifeSteps(sc)
	w.kitchenSteps(sc)
	w.privacySteps(sc)
	w.menuSteps(sc)
	w.fakeSteps(sc)
	w.securitySteps(sc)
	w.abuseSteps(sc)
	w.resilienceSteps(sc)
	w.observabilitySteps(sc)
}

// isSerial reports whether a scenario disturbs the shared fake and so
// runs alone (see serialTag).
func isSerial(s *godog.Scenario) bool {
	for _, tag := range s.Tags {
		if tag.Name == serialTag {
			return true
		}
	}
	return false
}
