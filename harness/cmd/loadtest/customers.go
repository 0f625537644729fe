package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/comanda/comanda/harness/apiclient"
)

// customer is one virtual customer at the totem.
type customer struct {
	token string
}

// shop is what the virtual customers need: who they are and the menu.
type shop struct {
	customers []customer
	menu      []string // product ids
}

// openShop reads the menu and signs n customers in: every other one
// registers with a CPF and identifies by it, the rest stay anonymous.
func openShop(ctx context.Context, api *apiclient.Client, n int) (*shop, error) {
	res, err := api.Do(ctx, "GET", "/products", "", nil)
	if err != nil {
		return nil, err
	}
	var products []apiclient.Product
	if err := res.Expect(200, &products); err != nil {
		return nil, err
	}
	if len(products) == 0 {
		return nil, fmt.Errorf("the menu is empty")
	}
	s := &shop{customers: make([]customer, n)}
	for _, p := range products {
		s.menu = append(s.menu, p.ID)
	}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for i := range n {
		g.Go(func() error {
			tok, err := signIn(gctx, api, i%2 == 0, i)
			mu.Lock()
			s.customers[i] = customer{token: tok}
			mu.Unlock()
			return err
		})
	}
	return s, g.Wait()
}

func signIn(ctx context.Context, api *apiclient.Client, registered bool, i int) (string, error) {
	body := map[string]string{}
	if registered {
		cpf := apiclient.NewCPF()
		res, err := api.Do(ctx, "POST", "/auth/customers", "", map[string]string{
			"tax_id": cpf, "name": fmt.Sprintf("Cliente %d", i), "email": fmt.Sprintf("cliente-%s@loadtest.example", cpf),
		})
		if err != nil {
			return "", err
		}
		if err := res.Expect(201, nil); err != nil {
			return "", err
		}
		body["tax_id"] = cpf
	}
	res, err := api.Do(ctx, "POST", "/auth/token", "", body)
	if err != nil {
		return "", err
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// basket is a random order of one to three lines.
func (s *shop) basket(rng *rand.Rand) map[string]any {
	lines := make([]apiclient.OrderLine, 1+rng.IntN(3))
	for i := range lines {
		lines[i] = apiclient.OrderLine{ProductID: s.menu[rng.IntN(len(s.menu))], Quantity: 1 + rng.IntN(3)}
	}
	return map[string]any{"items": lines}
}

// someone is a random customer.
func (s *shop) someone(rng *rand.Rand) customer { return s.customers[rng.IntN(len(s.customers))] }
