package features

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	"github.com/google/uuid"

	"github.com/comanda/comanda/harness/apiclient"
)

func (w *world) menuSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a visitor browses the menu$`, w.browseMenu)
	sc.Step(`^the categories are "([^"]*)"$`, w.categoriesAre)
	sc.Step(`^every category has at least (\d+) products$`, w.everyCategoryHas)
	sc.Step(`^a visitor filters the menu by the category "([^"]*)"$`, w.filterByCategory)
	sc.Step(`^every product shown is in the category "([^"]*)"$`, w.everyProductIn)
	sc.Step(`^an employee adds a product to the category "([^"]*)" priced at ([\d.]+)$`, w.employeeAddsProduct)
	sc.Step(`^a visitor finds the new product on the menu priced at ([\d.]+)$`, w.visitorFindsProduct)
	sc.Step(`^an employee adds the same product again$`, w.employeeAddsSameProduct)
	sc.Step(`^the customer tries to add a product to the menu$`, w.customerAddsProduct)
}

func (w *world) categories(ctx context.Context) ([]apiclient.Category, error) {
	res, err := w.do(ctx, "GET", "/categories", "", nil)
	if err != nil {
		return nil, err
	}
	var cats []apiclient.Category
	return cats, res.Expect(200, &cats)
}

func (w *world) categoryNamed(ctx context.Context, name string) (apiclient.Category, error) {
	cats, err := w.categories(ctx)
	if err != nil {
		return apiclient.Category{}, err
	}
	for _, c := range cats {
		if c.Name == name {
			return c, nil
		}
	}
	return apiclient.Category{}, fmt.Errorf("no category %q", name)
}

func (w *world) browseMenu(ctx context.Context) error {
	w.menu = nil
	return w.loadMenu(ctx)
}

func (w *world) categoriesAre(ctx context.Context, want string) error {
	cats, err := w.categories(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, c := range cats {
		have[c.Name] = c.ID != ""
	}
	for _, name := range strings.Split(want, ", ") {
		if !have[name] {
			return fmt.Errorf("no category %q among %+v", name, cats)
		}
	}
	if len(cats) != len(strings.Split(want, ", ")) {
		return fmt.Errorf("categories are %+v, want %s", cats, want)
	}
	return nil
}

func (w *world) everyCategoryHas(ctx context.Context, n int) error {
	cats, err := w.categories(ctx)
	if err != nil {
		return err
	}
	count := map[string]int{}
	for _, p := range w.menu {
		count[p.CategoryID]++
	}
	for _, c := range cats {
		if count[c.ID] < n {
			return fmt.Errorf("category %s has %d products", c.Name, count[c.ID])
		}
	}
	return nil
}

func (w *world) filterByCategory(ctx context.Context, name string) error {
	c, err := w.categoryNamed(ctx, name)
	if err != nil {
		return err
	}
	res, err := w.do(ctx, "GET", "/products?category="+c.ID, "", nil)
	if err != nil {
		return err
	}
	w.menu = nil
	return res.Expect(200, &w.menu)
}

func (w *world) everyProductIn(ctx context.Context, name string) error {
	c, err := w.categoryNamed(ctx, name)
	if err != nil {
		return err
	}
	if len(w.menu) == 0 {
		return fmt.Errorf("no product in %s", name)
	}
	for _, p := range w.menu {
		if p.CategoryID != c.ID || p.Category != name {
			return fmt.Errorf("%s is in %s (%s)", p.Name, p.Category, p.CategoryID)
		}
	}
	return nil
}

func (w *world) newProduct(ctx context.Context, category, price string) (map[string]any, error) {
	c, err := w.categoryNamed(ctx, category)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"name": "Sobremesa do Dia " + uuid.NewString()[:8], "description": "Feita hoje",
		"price": jsonNumber(price), "image_url": "https://images.comanda.local/sobremesa.jpg",
		"preparation_time": 5, "category_id": c.ID,
	}, nil
}

func (w *world) employeeAddsProduct(ctx context.Context, category, price string) error {
	body, err := w.newProduct(ctx, category, price)
	if err != nil {
		return err
	}
	res, err := w.employeeDo(ctx, "POST", "/products", body)
	if err != nil {
		return err
	}
	var p apiclient.Product
	if err := res.Expect(201, &p); err != nil {
		return err
	}
	body["id"] = p.ID
	w.product = body
	return nil
}

func (w *world) visitorFindsProduct(ctx context.Context, price string) error {
	if w.product == nil {
		return fmt.Errorf("no product was added")
	}
	res, err := w.do(ctx, "GET", "/products/"+w.product["id"].(string), "", nil)
	if err != nil {
		return err
	}
	var p apiclient.Product
	if err := res.Expect(200, &p); err != nil {
		return err
	}
	if p.Name != w.product["name"] || p.Price.String() != price || p.Category != "Sobremesa" {
		return fmt.Errorf("product on the menu is %+v", p)
	}
	return nil
}

func (w *world) employeeAddsSameProduct(ctx context.Context) error {
	if w.product == nil {
		return fmt.Errorf("no product was added")
	}
	body := map[string]any{}
	for k, v := range w.product {
		if k != "id" {
			body[k] = v
		}
	}
	_, err := w.employeeDo(ctx, "POST", "/products", body)
	return err
}

func (w *world) customerAddsProduct(ctx context.Context) error {
	a, err := w.customer()
	if err != nil {
		return err
	}
	body, err := w.newProduct(ctx, "Sobremesa", "9.9")
	if err != nil {
		return err
	}
	_, err = w.do(ctx, "POST", "/products", a.token, body)
	return err
}
