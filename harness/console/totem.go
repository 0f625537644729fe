package console

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// menu is the catalog's products, for the orders page's totem.
func (c *Console) menu(ctx context.Context) ([]apiclient.Product, error) {
	var products []apiclient.Product
	res, err := c.staff.api.Do(ctx, http.MethodGet, "/products", "", nil)
	if err != nil {
		return nil, err
	}
	return products, res.Expect(http.StatusOK, &products)
}

// placeOrder is the totem: it orders a product as a customer, as a
// kiosk would through the public API. With a name, the customer registers
// first (with a fresh CPF) and identifies by it; without, anonymous.
func (c *Console) placeOrder(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	defer cancel()
	quantity, err := strconv.Atoi(r.FormValue("quantity"))
	if err != nil || quantity < 1 {
		back(w, r, "/", fmt.Errorf("quantity %q: a whole number from 1", r.FormValue("quantity")), "")
		return
	}
	token, err := c.customerToken(ctx, strings.TrimSpace(r.FormValue("name")))
	if err != nil {
		back(w, r, "/", err, "")
		return
	}
	var order apiclient.Order
	res, err := c.staff.api.Do(ctx, http.MethodPost, "/order", token,
		map[string]any{"items": []apiclient.OrderLine{{ProductID: r.FormValue("product"), Quantity: quantity}}})
	if err == nil {
		err = res.Expect(http.StatusCreated, &order)
	}
	if err != nil {
		back(w, r, "/", fmt.Errorf("place the order: %w", err), "")
		return
	}
	back(w, r, "/", nil, "Order "+short(order.ID)+" placed: R$ "+order.Total.String()+", awaiting its payment.")
}

func (c *Console) customerToken(ctx context.Context, name string) (string, error) {
	body := map[string]string{}
	if name != "" {
		cpf := apiclient.NewCPF()
		res, err := c.staff.api.Do(ctx, http.MethodPost, "/auth/customers", "", map[string]string{
			"tax_id": cpf, "name": name, "email": "customer-" + cpf + "@example.com"})
		if err == nil {
			err = res.Expect(http.StatusCreated, nil)
		}
		if err != nil {
			return "", fmt.Errorf("register %s: %w", name, err)
		}
		body["tax_id"] = cpf
	}
	var tok apiclient.Token
	res, err := c.staff.api.Do(ctx, http.MethodPost, "/auth/token", "", body)
	if err == nil {
		err = res.Expect(http.StatusOK, &tok)
	}
	if err != nil {
		return "", fmt.Errorf("identify the customer: %w", err)
	}
	return tok.AccessToken, nil
}
