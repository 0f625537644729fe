package features

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/services/platform/money"
)

func (w *world) orderSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the customer orders:$`, w.customerOrders)
	sc.Step(`^the customer orders a product that is not on the menu$`, w.ordersUnknownProduct)
	sc.Step(`^the customer has a paid order for:$`, w.hasPaidOrder)
	sc.Step(`^the order is received with the menu prices$`, w.orderReceivedWithMenuPrices)
	sc.Step(`^the order soon awaits payment with a PIX QR code$`, w.orderAwaitsPayment)
	sc.Step(`^the order soon is "([^"]*)"$`, w.orderSoonIs)
	sc.Step(`^the order is "([^"]*)"$`, w.orderIs)
	sc.Step(`^the order history is "([^"]*)"$`, w.orderHistoryIs)
	sc.Step(`^the customer's order list shows the order as "([^"]*)"$`, w.orderListShows)
	sc.Step(`^an employee hands the order over at the counter$`, w.handOver)
	sc.Step(`^an employee tries to hand the order over at the counter$`, w.tryHandOver)
}

func (w *world) loadMenu(ctx context.Context) error {
	if w.menu != nil {
		return nil
	}
	res, err := w.api.Do(ctx, "GET", "/products", "", nil)
	if err != nil {
		return err
	}
	return res.Expect(200, &w.menu)
}

func (w *world) productNamed(ctx context.Context, name string) (apiclient.Product, error) {
	if err := w.loadMenu(ctx); err != nil {
		return apiclient.Product{}, err
	}
	for _, p := range w.menu {
		if p.Name == name {
			return p, nil
		}
	}
	return apiclient.Product{}, fmt.Errorf("no %q on the menu", name)
}

func (w *world) linesFrom(ctx context.Context, table *godog.Table) ([]apiclient.OrderLine, error) {
	var lines []apiclient.OrderLine
	for _, row := range table.Rows[1:] {
		p, err := w.productNamed(ctx, row.Cells[0].Value)
		if err != nil {
			return nil, err
		}
		var qty int
		if _, err := fmt.Sscan(row.Cells[1].Value, &qty); err != nil {
			return nil, fmt.Errorf("quantity %q: %w", row.Cells[1].Value, err)
		}
		lines = append(lines, apiclient.OrderLine{ProductID: p.ID, Quantity: qty})
	}
	return lines, nil
}

func (w *world) customerOrders(ctx context.Context, table *godog.Table) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	lines, err := w.linesFrom(ctx, table)
	if err != nil {
		return err
	}
	res, err := w.do(ctx, "POST", "/order", a.token, map[string]any{"items": lines})
	if err != nil {
		return err
	}
	var o apiclient.Order
	if err := res.Expect(201, &o); err != nil {
		return err
	}
	a.orderID = o.ID
	return nil
}

func (w *world) ordersUnknownProduct(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "POST", "/order", a.token, map[string]any{"items": []apiclient.OrderLine{{ProductID: uuid.NewString(), Quantity: 1}}})
	return err
}

// hasPaidOrder places an order and pays it, up to the kitchen receiving it.
func (w *world) hasPaidOrder(ctx context.Context, table *godog.Table) error {
	if err := w.customerOrders(ctx, table); err != nil {
		return err
	}
	if err := w.orderAwaitsPayment(ctx); err != nil {
		return err
	}
	if err := w.fakeAct(ctx, "approve"); err != nil {
		return err
	}
	if err := w.orderSoonIs(ctx, "PAID"); err != nil {
		return err
	}
	return w.kitchenSoonShows(ctx, w.current.name, "RECEIVED")
}

func (w *world) getOrder(ctx context.Context, a *actor) (apiclient.Order, error) {
	var o apiclient.Order
	res, err := w.api.Do(ctx, "GET", "/order/"+a.orderID, a.token, nil)
	if err != nil {
		return o, err
	}
	return o, res.Expect(200, &o)
}

func (w *world) orderReceivedWithMenuPrices(ctx context.Context) error {
	var o apiclient.Order
	if err := w.last.Expect(201, &o); err != nil {
		return err
	}
	if o.Status != "RECEIVED" || o.Payment != nil || len(o.History) != 1 || o.History[0].Status != "RECEIVED" {
		return fmt.Errorf("new order is not just received: %s", w.last.Body)
	}
	var total money.Cents
	for _, it := range o.Items {
		p, err := w.productNamed(ctx, it.Name)
		if err != nil {
			return err
		}
		price, sub := mustCents(p.Price), mustCents(it.Subtotal)
		if mustCents(it.UnitPrice) != price || sub != price*money.Cents(it.Quantity) || p.ID != it.ProductID {
			return fmt.Errorf("line %s does not match the menu price %s: %s", it.Name, p.Price, w.last.Body)
		}
		total += sub
	}
	if mustCents(o.Total) != total || o.Customer.ID != w.current.id {
		return fmt.Errorf("total %s, want %s; customer %s, want %s", o.Total, total, o.Customer.ID, w.current.id)
	}
	return nil
}

func mustCents(n fmt.Stringer) money.Cents {
	c, err := money.ParseReais(n.String())
	if err != nil {
		return -1
	}
	return c
}

func (w *world) orderAwaitsPayment(ctx context.Context) error {
	return w.orderSoon(ctx, "the PIX QR code", func(o apiclient.Order) error {
		if o.Status != "AWAITING_PAYMENT" || o.Payment == nil || o.Payment.QRCode == "" || o.Payment.QRCodeBase64 == "" || o.Payment.Status != "PENDING" {
			return fmt.Errorf("order is %s with payment %+v", o.Status, o.Payment)
		}
		return nil
	})
}

func (w *world) orderSoonIs(ctx context.Context, status string) error {
	return w.orderSoon(ctx, "status "+status, func(o apiclient.Order) error {
		if o.Status != status {
			return fmt.Errorf("order is %s", o.Status)
		}
		return nil
	})
}

// orderSoon waits until the current order, read again and again, passes check.
func (w *world) orderSoon(ctx context.Context, what string, check func(apiclient.Order) error) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	return w.eventually(ctx, what, func() error {
		o, err := w.getOrder(ctx, a)
		if err != nil {
			return err
		}
		return check(o)
	})
}

// currentOrder reads the current customer's order.
func (w *world) currentOrder(ctx context.Context) (*actor, apiclient.Order, error) {
	a, err := w.order()
	if err != nil {
		return nil, apiclient.Order{}, err
	}
	o, err := w.getOrder(ctx, a)
	return a, o, err
}

func (w *world) orderIs(ctx context.Context, status string) error {
	_, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	if o.Status != status {
		return fmt.Errorf("order is %s, want %s", o.Status, status)
	}
	return nil
}

func (w *world) orderHistoryIs(ctx context.Context, want string) error {
	_, o, err := w.currentOrder(ctx)
	if err != nil {
		return err
	}
	var got []string
	for i, h := range o.History {
		got = append(got, h.Status)
		if i > 0 && h.At.Before(o.History[i-1].At) {
			return fmt.Errorf("history is not oldest first: %+v", o.History)
		}
	}
	if strings.Join(got, ", ") != want {
		return fmt.Errorf("history is %q, want %q", strings.Join(got, ", "), want)
	}
	return nil
}

func (w *world) orderListShows(ctx context.Context, status string) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	res, err := w.api.Do(ctx, "GET", "/order?status="+status, a.token, nil)
	if err != nil {
		return err
	}
	var list []apiclient.Order
	if err := res.Expect(200, &list); err != nil {
		return err
	}
	if len(list) != 1 || list[0].ID != a.orderID || list[0].Status != status {
		return fmt.Errorf("the customer's %s orders are %s", status, res.Body)
	}
	return nil
}

func (w *world) handOver(ctx context.Context) error {
	if err := w.tryHandOver(ctx); err != nil {
		return err
	}
	var o apiclient.Order
	if err := w.last.Expect(200, &o); err != nil {
		return err
	}
	if o.Status != "DELIVERED" {
		return fmt.Errorf("handed over order is %s", o.Status)
	}
	return nil
}

func (w *world) tryHandOver(ctx context.Context) error {
	a, err := w.order()
	if err != nil {
		return err
	}
	_, err = w.employeeDo(ctx, "PUT", "/order/"+a.orderID+"/delivered", nil)
	return err
}
