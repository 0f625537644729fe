package catalog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
)

func TestSeededMenu(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	var cats []Category
	f.do("GET", "/categories", "", "").decode(t, 200, &cats)
	var names []string
	for _, c := range cats {
		names = append(names, c.Name)
	}
	if want := []string{"Acompanhamento", "Bebida", "Lanche", "Sobremesa"}; !slices.Equal(names, want) {
		t.Fatalf("categories %v; want %v", names, want)
	}

	var products []Product
	f.do("GET", "/products", "", "").decode(t, 200, &products)
	perCategory := map[string]int{}
	for _, p := range products {
		perCategory[p.Category]++
	}
	for _, name := range names {
		if perCategory[name] < 2 {
			t.Errorf("category %s has %d products; want at least 2", name, perCategory[name])
		}
	}
	if !slices.IsSortedFunc(products, byCategoryThenName) {
		t.Errorf("products not ordered by category then name: %v", products)
	}
}

func byCategoryThenName(a, b Product) int {
	if c := strings.Compare(a.Category, b.Category); c != 0 {
		return c
	}
	return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
}

func TestProductWireFormat(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var raw map[string]any
	f.do("GET", "/products/"+xBurguerID, "", "").decode(t, 200, &raw)
	want := map[string]any{
		"id": xBurguerID, "name": "X-Burguer", "description": "Pão brioche, hambúrguer bovino de 150 g e queijo prato",
		"price": 22.9, "image_url": "https://images.comanda.local/products/x-burguer.jpg",
		"preparation_time": float64(12), "category_id": lancheID, "category": "Lanche",
	}
	if fmt.Sprint(raw) != fmt.Sprint(want) {
		t.Fatalf("product %v; want %v", raw, want)
	}
}

func TestProductsByCategory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	var drinks []Product
	f.do("GET", "/products?category="+bebidaID, "", "").decode(t, 200, &drinks)
	if len(drinks) < 2 {
		t.Fatalf("%d drinks; want at least 2", len(drinks))
	}
	for _, p := range drinks {
		if p.CategoryID != bebidaID || p.Category != "Bebida" {
			t.Errorf("product %s is in %s (%s); want Bebida", p.Name, p.Category, p.CategoryID)
		}
	}

	f.do("GET", "/products?category="+uuid.NewString(), "", "").wantError(t, 404, "category_not_found")
	msg := f.do("GET", "/products?category=lanche", "", "").wantError(t, 400, "invalid_request")
	if !strings.Contains(msg, "category") {
		t.Errorf("message %q does not name the category parameter", msg)
	}
}

func TestProductsByIDs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	var got []Product
	query := "/products?ids=" + strings.Join([]string{xBurguerID, uuid.NewString(), batataID, xBurguerID}, ",")
	f.do("GET", query, "", "").decode(t, 200, &got)
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	if want := []string{xBurguerID, batataID}; !slices.Equal(ids, want) {
		t.Fatalf("ids %v; want %v", ids, want)
	}

	var none []Product
	f.do("GET", "/products?ids="+uuid.NewString(), "", "").decode(t, 200, &none)
	if none == nil || len(none) != 0 {
		t.Errorf("unknown ids gave %v; want []", none)
	}
	f.do("GET", "/products?ids="+xBurguerID+",nope", "", "").wantError(t, 400, "invalid_request")
	f.do("GET", "/products?ids=", "", "").wantError(t, 400, "invalid_request")
	f.do("GET", "/products?ids="+strings.Repeat(xBurguerID+",", 50)+xBurguerID, "", "").wantError(t, 400, "invalid_request")

	var lanches []Product
	f.do("GET", "/products?category="+lancheID+"&ids="+xBurguerID+","+batataID, "", "").decode(t, 200, &lanches)
	if len(lanches) != 1 || lanches[0].ID != xBurguerID {
		t.Errorf("ids within Lanche = %v; want only the X-Burguer", lanches)
	}
}

func TestGetProductNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.do("GET", "/products/"+uuid.NewString(), "", "").wantError(t, 404, "product_not_found")
	f.do("GET", "/products/not-a-uuid", "", "").wantError(t, 404, "product_not_found")
	f.do("PUT", "/products/not-a-uuid", f.tokens.Employee(t), productBody("X", "1", lancheID)).wantError(t, 404, "product_not_found")
	f.do("DELETE", "/products/not-a-uuid", f.tokens.Employee(t), "").wantError(t, 404, "product_not_found")
}

func TestProductLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.tokens.Employee(t)
	name := uniqueName("X-Frango")

	var created Product
	f.do("POST", "/products", staff, productBody(name, "19.9", lancheID)).decode(t, 201, &created)
	if created.Name != name || created.Price != 1990 || created.Category != "Lanche" || created.PreparationTime != 7 {
		t.Fatalf("created %+v", created)
	}
	var read Product
	f.do("GET", "/products/"+created.ID, "", "").decode(t, 200, &read)
	if read.ID != created.ID || read.Name != name {
		t.Fatalf("read %+v; want %+v", read, created)
	}

	replacement := `{"name":"` + name + ` Duplo","price":29,"preparation_time":15,"category_id":"` + bebidaID + `"}`
	var replaced Product
	f.do("PUT", "/products/"+created.ID, staff, replacement).decode(t, 200, &replaced)
	if replaced.Name != name+" Duplo" || replaced.Price != 2900 || replaced.Category != "Bebida" ||
		replaced.Description != "" || replaced.ImageURL != "" || replaced.PreparationTime != 15 {
		t.Fatalf("replaced %+v; want every field replaced", replaced)
	}

	f.do("DELETE", "/products/"+created.ID, staff, "").decode(t, 204, nil)
	f.do("GET", "/products/"+created.ID, "", "").wantError(t, 404, "product_not_found")
	f.do("DELETE", "/products/"+created.ID, staff, "").wantError(t, 404, "product_not_found")
	f.do("PUT", "/products/"+created.ID, staff, replacement).wantError(t, 404, "product_not_found")
}

func TestProductUpkeepNeedsAnEmployee(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	customer := f.tokens.Token(t, token.RoleCustomer)
	body := productBody(uniqueName("X-Proibido"), "10", lancheID)
	routes := []struct{ method, path string }{
		{"POST", "/products"}, {"PUT", "/products/" + xBurguerID}, {"DELETE", "/products/" + xBurguerID},
	}
	for _, r := range routes {
		f.do(r.method, r.path, customer, body).wantError(t, 403, "forbidden")
		f.do(r.method, r.path, "", body).wantError(t, 401, "unauthorized")
		f.do(r.method, r.path, "not.a.token", body).wantError(t, 401, "unauthorized")
	}
	var p Product
	f.do("GET", "/products/"+xBurguerID, "", "").decode(t, 200, &p)
	if p.Name != "X-Burguer" {
		t.Fatalf("X-Burguer changed: %+v", p)
	}
}

func TestDuplicateProductName(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.tokens.Employee(t)
	name := uniqueName("Cheddar Melt")
	var first, second Product
	f.do("POST", "/products", staff, productBody(name, "20", lancheID)).decode(t, 201, &first)

	f.do("POST", "/products", staff, productBody(name, "21", lancheID)).wantError(t, 409, "product_exists")
	f.do("POST", "/products", staff, productBody("  "+strings.ToUpper(name)+" ", "21", lancheID)).wantError(t, 409, "product_exists")

	f.do("POST", "/products", staff, productBody(uniqueName("Cheddar Melt"), "21", lancheID)).decode(t, 201, &second)
	f.do("PUT", "/products/"+second.ID, staff, productBody(name, "21", lancheID)).wantError(t, 409, "product_exists")
	f.do("PUT", "/products/"+first.ID, staff, productBody(name, "22", lancheID)).decode(t, 200, nil)
}

func TestProductBodyRejected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.tokens.Employee(t)
	valid := map[string]any{
		"name": "X-Teste", "description": "", "price": 10, "image_url": "", "preparation_time": 5, "category_id": lancheID,
	}
	cases := []struct {
		name  string
		body  string
		field string
	}{
		{"unknown field", withField(valid, "price_cents", 1000), "price_cents"},
		{"price as a string", withField(valid, "price", "10.00"), "price"},
		{"price with three decimals", `{"name":"X","price":10.001,"preparation_time":5,"category_id":"` + lancheID + `"}`, "price"},
		{"no price", withoutField(valid, "price"), "price"},
		{"zero price", withField(valid, "price", 0), "price"},
		{"no name", withoutField(valid, "name"), "name"},
		{"long name", withField(valid, "name", strings.Repeat("x", 121)), "name"},
		{"fractional minutes", withField(valid, "preparation_time", 2.5), "preparation_time"},
		{"no minutes", withoutField(valid, "preparation_time"), "preparation_time"},
		{"relative image", withField(valid, "image_url", "img/x.png"), "image_url"},
		{"malformed category", withField(valid, "category_id", "lanche"), "category_id"},
		{"not an object", `[1,2]`, ""},
		{"not JSON", `{"name":`, ""},
		{"empty", ``, ""},
		{"two objects", withField(valid, "name", "A") + `{}`, ""},
		{"duplicate price", strings.TrimSuffix(withField(valid, "price", 10), "}") + `,"price":0.01}`, `"price" appears more than once`},
		{"duplicate name", strings.TrimSuffix(withField(valid, "name", "A"), "}") + `,"name":"B"}`, `"name"`},
		{"upper-case key", withField(valid, "PRICE", 1), `did you mean "price"`},
		{"mixed-case key", withField(valid, "Image_Url", "https://a.com/x.png"), `did you mean "image_url"`},
		{"null price", withField(valid, "price", nil), "price"},
		{"NUL in description", withField(valid, "description", "a\x00b"), "description"},
		{"escape in description", withField(valid, "description", "a\x1b[2Jb"), "description"},
		{"tab in description", withField(valid, "description", "a\tb"), "description"},
		{"C1 control in description", withField(valid, "description", "a\u0085b"), "description"},
		{"NUL in name", withField(valid, "name", "X\x00"), "name"},
		{"newline in name", withField(valid, "name", "X\nY"), "name"},
		{"override in name", withField(valid, "name", "X\u202Eegrub"), "name"},
		{"isolate in description", withField(valid, "description", "a\u2066b"), "description"},
		{"newline in image_url", withField(valid, "image_url", "https://a.com/\nx.png"), "image_url"},
		{"DEL in image_url", withField(valid, "image_url", "https://a.com/\x7fx.png"), "image_url"},
		{"invalid UTF-8 in name", strings.Replace(withField(valid, "name", "X-Teste"), "X-Teste", "X-\xffTeste", 1), "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, method := range []string{"POST /products", "PUT /products/" + xBurguerID} {
				m, path, _ := strings.Cut(method, " ")
				msg := f.do(m, path, staff, c.body).wantError(t, 400, "invalid_request")
				if !strings.Contains(msg, c.field) {
					t.Errorf("%s: message %q does not name %s", method, msg, c.field)
				}
			}
		})
	}
}

// TestProductDescriptionMayHoldLines: the description is the one multi-line
// field; its lines come back as sent.
func TestProductDescriptionMayHoldLines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.tokens.Employee(t)
	body := map[string]any{
		"name": uniqueName("X-Linhas"), "price": 10, "image_url": "", "preparation_time": 5, "category_id": lancheID,
	}
	var p Product
	f.do("POST", "/products", staff, withField(body, "description", "Pão, carne\nQueijo e ovo")).decode(t, 201, &p)
	if p.Description != "Pão, carne\nQueijo e ovo" {
		t.Fatalf("description = %q; want its two lines", p.Description)
	}
}

func TestProductUnknownCategory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.tokens.Employee(t)
	body := productBody(uniqueName("X-Perdido"), "10", uuid.NewString())
	f.do("POST", "/products", staff, body).wantError(t, 404, "category_not_found")
	f.do("PUT", "/products/"+batataID, staff, body).wantError(t, 404, "category_not_found")
}

func TestErrorShapeForRouting(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.do("GET", "/nowhere", "", "").wantError(t, 404, "not_found")
	f.do("PATCH", "/products/"+xBurguerID, "", "").wantError(t, 405, "method_not_allowed")
	f.do("GET", "/readyz", "", "").decode(t, 200, nil)
	f.do("GET", "/healthz", "", "").decode(t, 200, nil)
}

func withField(m map[string]any, k string, v any) string {
	c := make(map[string]any, len(m)+1)
	for key, val := range m {
		c[key] = val
	}
	c[k] = v
	b, _ := json.Marshal(c)
	return string(b)
}

func withoutField(m map[string]any, k string) string {
	c := make(map[string]any, len(m))
	for key, val := range m {
		if key != k {
			c[key] = val
		}
	}
	b, _ := json.Marshal(c)
	return string(b)
}
