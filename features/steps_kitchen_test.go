package features

import (
	"context"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/comanda/comanda/harness/apiclient"
)

func (w *world) kitchenSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the kitchen soon shows the order for "([^"]*)" as "([^"]*)"$`, w.kitchenSoonShows)
	sc.Step(`^the kitchen shows the order as "([^"]*)"$`, w.kitchenShows)
	sc.Step(`^the kitchen starts preparing the order$`, func(ctx context.Context) error { return w.kitchenMove(ctx, "started", 200) })
	sc.Step(`^the kitchen completes the order$`, func(ctx context.Context) error { return w.kitchenMove(ctx, "completed", 200) })
	sc.Step(`^the kitchen tries to complete the order$`, func(ctx context.Context) error { return w.kitchenMove(ctx, "completed", 0) })
	sc.Step(`^the kitchen tries to start the order again$`, func(ctx context.Context) error { return w.kitchenMove(ctx, "started", 0) })
	sc.Step(`^the kitchen no longer lists the order$`, w.kitchenNoLongerLists)
	sc.Step(`^the kitchen never receives the order$`, w.kitchenNeverReceives)
	sc.Step(`^the kitchen soon has exactly one record of the order$`, w.kitchenHasOneRecord)
	sc.Step(`^the kitchen lists "([^"]*)"'s order before "([^"]*)"'s$`, w.kitchenOrder)
	sc.Step(`^a customer cannot see the kitchen list$`, w.customerCannotSeeKitchen)
}

func (w *world) kitchenList(ctx context.Context, query string) ([]apiclient.KitchenOrder, error) {
	var list []apiclient.KitchenOrder
	return list, w.employeeGet(ctx, "/production"+query, &list)
}

// kitchenRecord finds the current order in the kitchen's full list.
func (w *world) kitchenRecord(ctx context.Context, orderID string) (apiclient.KitchenOrder, int, error) {
	list, err := w.kitchenList(ctx, "")
	if err != nil {
		return apiclient.KitchenOrder{}, -1, err
	}
	for i, k := range list {
		if k.OrderID == orderID {
			return k, i, nil
		}
	}
	return apiclient.KitchenOrder{}, -1, fmt.Errorf("the kitchen list (%d records) has no order %s", len(list), orderID)
}

func (w *world) kitchenSoonShows(ctx context.Context, name, status string) error {
	a, err := w.actor(name)
	if err != nil {
		return err
	}
	return w.eventually(ctx, "the kitchen record", func() error {
		k, _, err := w.kitchenRecord(ctx, a.orderID)
		if err != nil {
			return err
		}
		if k.Status != status || k.CustomerName != name || len(k.Items) == 0 || k.ID == "" {
			return fmt.Errorf("kitchen record is %+v", k)
		}
		return nil
	})
}

func (w *world) kitchenShows(ctx context.Context, status string) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	k, _, err := w.kitchenRecord(ctx, a.orderID)
	if err != nil {
		return err
	}
	var one apiclient.KitchenOrder
	if err := w.employeeGet(ctx, "/production/"+k.ID, &one); err != nil {
		return err
	}
	if one.Status != status || one.OrderID != a.orderID {
		return fmt.Errorf("kitchen record is %s for %s, want %s", one.Status, one.OrderID, status)
	}
	return nil
}

// kitchenMove starts or completes the current order; want 0 accepts any
// answer, for steps that check it afterwards.
func (w *world) kitchenMove(ctx context.Context, move string, want int) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	k, _, err := w.kitchenRecord(ctx, a.orderID)
	if err != nil {
		return err
	}
	res, err := w.employeeDo(ctx, "PUT", "/production/"+k.ID+"/"+move, nil)
	if err != nil || want == 0 {
		return err
	}
	return res.Expect(want, nil)
}

func (w *world) kitchenNoLongerLists(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	if _, _, err := w.kitchenRecord(ctx, a.orderID); err == nil {
		return fmt.Errorf("the kitchen still lists order %s", a.orderID)
	}
	done, err := w.kitchenList(ctx, "?status=COMPLETED")
	if err != nil {
		return err
	}
	for _, k := range done {
		if k.OrderID == a.orderID {
			return nil
		}
	}
	return fmt.Errorf("order %s is not among the completed ones", a.orderID)
}

func (w *world) kitchenNeverReceives(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	n, err := w.kitchenRecordsOf(ctx, a.orderID)
	if err != nil {
		return err
	}
	if n != 0 {
		return fmt.Errorf("the kitchen received cancelled order %s", a.orderID)
	}
	return nil
}

// kitchenRecordsOf counts the kitchen's records of an order, open and
// completed alike.
func (w *world) kitchenRecordsOf(ctx context.Context, orderID string) (int, error) {
	n := 0
	for _, q := range []string{"", "?status=COMPLETED"} {
		list, err := w.kitchenList(ctx, q)
		if err != nil {
			return 0, err
		}
		for _, k := range list {
			if k.OrderID == orderID {
				n++
			}
		}
	}
	return n, nil
}

func (w *world) kitchenOrder(ctx context.Context, first, second string) error {
	a, err := w.actor(first)
	if err != nil {
		return err
	}
	b, err := w.actor(second)
	if err != nil {
		return err
	}
	_, i, err := w.kitchenRecord(ctx, a.orderID)
	if err != nil {
		return err
	}
	_, j, err := w.kitchenRecord(ctx, b.orderID)
	if err != nil {
		return err
	}
	if i >= j {
		return fmt.Errorf("%s's order is at %d, %s's at %d", first, i, second, j)
	}
	return nil
}

func (w *world) customerCannotSeeKitchen(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	res, err := w.do(ctx, "GET", "/production", a.token, nil)
	if err != nil {
		return err
	}
	if res.Status != 403 || res.ErrorCode() != "forbidden" {
		return fmt.Errorf("a customer got %s", res)
	}
	return nil
}

// kitchenHasOneRecord waits for the order's kitchen record, then checks it
// is the only one.
func (w *world) kitchenHasOneRecord(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	return w.eventually(ctx, "one kitchen record", func() error {
		n, err := w.kitchenRecordsOf(ctx, a.orderID)
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("the kitchen has %d records of order %s", n, a.orderID)
		}
		return nil
	})
}
