package features

import (
	"context"
	"fmt"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
)

func (w *world) privacySteps(sc *godog.ScenarioContext) {
	sc.Step(`^"([^"]*)" looks up "([^"]*)"'s order$`, func(ctx context.Context, viewer, owner string) error {
		return w.looksUp(ctx, viewer, owner, "/order/")
	})
	sc.Step(`^"([^"]*)" looks up the payment of "([^"]*)"'s order$`, func(ctx context.Context, viewer, owner string) error {
		return w.looksUp(ctx, viewer, owner, "/payment?order_id=")
	})
	sc.Step(`^"([^"]*)"'s order list does not include "([^"]*)"'s order$`, w.listExcludes)
	sc.Step(`^an employee can see "([^"]*)"'s order$`, w.employeeSeesOrder)
	sc.Step(`^a visitor without a token tries to order$`, w.orderWithoutToken)
}

func (w *world) pair(viewer, owner string) (*actor, *actor, error) {
	v, err := w.actor(viewer)
	if err != nil {
		return nil, nil, err
	}
	o, err := w.actor(owner)
	if err != nil {
		return nil, nil, err
	}
	if o.orderID == "" {
		return nil, nil, fmt.Errorf("%s has no order", owner)
	}
	return v, o, nil
}

// looksUp has viewer request path followed by owner's order id.
func (w *world) looksUp(ctx context.Context, viewer, owner, path string) error {
	v, o, err := w.pair(viewer, owner)
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "GET", path+o.orderID, v.token, nil)
	return err
}

func (w *world) listExcludes(ctx context.Context, viewer, owner string) error {
	v, o, err := w.pair(viewer, owner)
	if err != nil {
		return err
	}
	res, err := w.api.Do(ctx, "GET", "/order", v.token, nil)
	if err != nil {
		return err
	}
	var list []apiclient.Order
	if err := res.Expect(200, &list); err != nil {
		return err
	}
	for _, ord := range list {
		if ord.ID == o.orderID || ord.Customer.ID != v.id {
			return fmt.Errorf("%s's list shows order %s of customer %s", viewer, ord.ID, ord.Customer.ID)
		}
	}
	return nil
}

func (w *world) employeeSeesOrder(ctx context.Context, owner string) error {
	o, err := w.actor(owner)
	if err != nil {
		return err
	}
	var ord apiclient.Order
	if err := w.employeeGet(ctx, "/order/"+o.orderID, &ord); err != nil {
		return err
	}
	if ord.Customer.ID != o.id || ord.Customer.Name != owner {
		return fmt.Errorf("employee sees order of %+v, want %s", ord.Customer, owner)
	}
	return nil
}

func (w *world) orderWithoutToken(ctx context.Context) error {
	_, err := w.do(ctx, "POST", "/order", "", map[string]any{"items": []apiclient.OrderLine{{ProductID: uuid.NewString(), Quantity: 1}}})
	return err
}
