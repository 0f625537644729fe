package features

import (
	"context"
	"fmt"
)

// dynamoConsumers are the consumers a DynamoDB outage holds up, by the
// name a scenario gives them, with the DynamoDB call each makes first for
// an event: once per delivery, so that its refusals count the deliveries.
var dynamoConsumers = map[string]struct{ service, action string }{
	"payment service": {"payment", "GetItem"},    // looks the order's payment up
	"kitchen":         {"production", "PutItem"}, // puts the order's record
}

// dynamoDown fails DynamoDB for the services, and notes how many calls
// earlier outages refused, so that refusals count from now.
func (w *world) dynamoDown(services ...string) error {
	if w.res.dynamoRefusedBefore == nil {
		w.res.dynamoRefusedBefore = map[string]int{}
	}
	for who, c := range dynamoConsumers {
		w.res.dynamoRefusedBefore[who] = suite.DynamoDBCallsRefused(c.service, c.action)
	}
	for _, s := range services {
		if err := suite.DynamoDBDown(s); err != nil {
			return err
		}
	}
	return nil
}

// orderWaitsForDynamoDB waits until who's first DynamoDB call for the
// order's event has been refused n times, that is, until the event has
// been delivered n times in vain, and checks that the order is still in
// status (without a payment, when noQR says so).
func (w *world) orderWaitsForDynamoDB(ctx context.Context, status, noQR, who string, n int) error {
	c, ok := dynamoConsumers[who]
	if !ok {
		return fmt.Errorf("no consumer called %q holds DynamoDB up", who)
	}
	// Deliveries come a retry delay apart: each in turn is awaited, so that
	// the wait is as long as the deliveries take, and fails only when they
	// stop coming (a message dead-lettered is never delivered again).
	for seen := -1; seen < n; {
		err := w.eventually(ctx, fmt.Sprintf("%d calls of the %s refused", n, who), func() error {
			got := suite.DynamoDBCallsRefused(c.service, c.action) - w.res.dynamoRefusedBefore[who]
			if got <= seen {
				return fmt.Errorf("DynamoDB refused %d %s calls of the %s, then no more", got, c.action, who)
			}
			seen = got
			return nil
		})
		if err != nil {
			return err
		}
	}
	_, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	if o.Status != status || (noQR != "" && o.Payment != nil) {
		return fmt.Errorf("while DynamoDB is down for the %s the order is %s with payment %+v", who, o.Status, o.Payment)
	}
	return nil
}
