package catalog

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comanda/comanda/services/platform/money"
)

func validSpec() ProductSpec {
	return ProductSpec{
		Name:            "X-Egg",
		Description:     "Hambúrguer com ovo",
		Price:           2590,
		ImageURL:        "https://images.comanda.local/products/x-egg.jpg",
		PreparationTime: 12,
		CategoryID:      "c47e0000-0000-4000-8000-000000000001",
	}
}

func TestProductSpecNormalize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*ProductSpec)
		field  string // "" when valid
	}{
		{"valid", func(*ProductSpec) {}, ""},
		{"name trimmed to nothing", func(s *ProductSpec) { s.Name = "   " }, "name"},
		{"name of 120 runes", func(s *ProductSpec) { s.Name = strings.Repeat("é", 120) }, ""},
		{"name of 121 runes", func(s *ProductSpec) { s.Name = strings.Repeat("a", 121) }, "name"},
		{"name with a newline", func(s *ProductSpec) { s.Name = "X\nBurguer" }, "name"},
		{"name with a trailing newline, trimmed", func(s *ProductSpec) { s.Name = "X-Burguer\n" }, ""},
		{"name with NUL", func(s *ProductSpec) { s.Name = "X\x00Burguer" }, "name"},
		{"name with a C1 control", func(s *ProductSpec) { s.Name = "X\u009bBurguer" }, "name"},
		{"name with a right-to-left override", func(s *ProductSpec) { s.Name = "X\u202Eregrub" }, "name"},
		{"name with an isolate", func(s *ProductSpec) { s.Name = "X\u2066Burguer" }, "name"},
		{"name of invalid UTF-8", func(s *ProductSpec) { s.Name = "X\xffBurguer" }, "name"},
		{"description of two lines", func(s *ProductSpec) { s.Description = "Pão e carne\nQueijo" }, ""},
		{"description with NUL", func(s *ProductSpec) { s.Description = "a\x00b" }, "description"},
		{"description with a carriage return", func(s *ProductSpec) { s.Description = "a\r\nb" }, "description"},
		{"description with a C1 control", func(s *ProductSpec) { s.Description = "a\u0080b" }, "description"},
		{"description with an override", func(s *ProductSpec) { s.Description = "a\u202Db" }, "description"},
		{"description with an isolate", func(s *ProductSpec) { s.Description = "a\u2068b" }, "description"},
		{"description of invalid UTF-8", func(s *ProductSpec) { s.Description = "a\xc3" }, "description"},
		{"image url with a newline", func(s *ProductSpec) { s.ImageURL = "https://a.com/x\n.png" }, "image_url"},
		{"image url with NUL", func(s *ProductSpec) { s.ImageURL = "https://a.com/x\x00.png" }, "image_url"},
		{"image url with an override", func(s *ProductSpec) { s.ImageURL = "https://a.com/\u202Egnp.exe" }, "image_url"},
		{"empty description", func(s *ProductSpec) { s.Description = "" }, ""},
		{"description of 1000 runes", func(s *ProductSpec) { s.Description = strings.Repeat("ã", 1000) }, ""},
		{"description of 1001 runes", func(s *ProductSpec) { s.Description = strings.Repeat("a", 1001) }, "description"},
		{"zero price", func(s *ProductSpec) { s.Price = 0 }, "price"},
		{"negative price", func(s *ProductSpec) { s.Price = -100 }, "price"},
		{"one cent", func(s *ProductSpec) { s.Price = 1 }, ""},
		{"price at the maximum", func(s *ProductSpec) { s.Price = money.Max }, ""},
		{"price above the maximum", func(s *ProductSpec) { s.Price = money.Max + 1 }, "price"},
		{"no image", func(s *ProductSpec) { s.ImageURL = "" }, ""},
		{"http image", func(s *ProductSpec) { s.ImageURL = "http://cdn.example.com/a.png" }, ""},
		{"relative image", func(s *ProductSpec) { s.ImageURL = "/a.png" }, "image_url"},
		{"ftp image", func(s *ProductSpec) { s.ImageURL = "ftp://cdn.example.com/a.png" }, "image_url"},
		{"javascript image", func(s *ProductSpec) { s.ImageURL = "javascript:alert(1)" }, "image_url"},
		{"image without host", func(s *ProductSpec) { s.ImageURL = "https:///a.png" }, "image_url"},
		{"huge image url", func(s *ProductSpec) { s.ImageURL = "https://a.com/" + strings.Repeat("a", 2048) }, "image_url"},
		{"zero minutes", func(s *ProductSpec) { s.PreparationTime = 0 }, "preparation_time"},
		{"one minute", func(s *ProductSpec) { s.PreparationTime = 1 }, ""},
		{"240 minutes", func(s *ProductSpec) { s.PreparationTime = 240 }, ""},
		{"241 minutes", func(s *ProductSpec) { s.PreparationTime = 241 }, "preparation_time"},
		{"no category", func(s *ProductSpec) { s.CategoryID = "" }, "category_id"},
		{"malformed category", func(s *ProductSpec) { s.CategoryID = "lanche" }, "category_id"},
		{"category without dashes", func(s *ProductSpec) { s.CategoryID = "c47e000000004000800000000000000" + "1" }, "category_id"},
		{"category in braces", func(s *ProductSpec) { s.CategoryID = "{c47e0000-0000-4000-8000-000000000001}" }, "category_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			spec := validSpec()
			c.change(&spec)
			_, err := spec.Normalize()
			var fe *FieldError
			switch {
			case c.field == "" && err != nil:
				t.Fatalf("Normalize() = %v; want valid", err)
			case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field):
				t.Fatalf("Normalize() = %v; want an error on %s", err, c.field)
			}
		})
	}
}

func TestProductSpecNormalizeTrimsAndCanonicalizes(t *testing.T) {
	t.Parallel()
	spec := validSpec()
	spec.Name = "  X-Egg \t"
	spec.Description = " Com ovo "
	spec.ImageURL = " https://images.comanda.local/x.jpg "
	spec.CategoryID = "C47E0000-0000-4000-8000-000000000001"
	got, err := spec.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	want := ProductSpec{Name: "X-Egg", Description: "Com ovo", Price: 2590, ImageURL: "https://images.comanda.local/x.jpg",
		PreparationTime: 12, CategoryID: "c47e0000-0000-4000-8000-000000000001"}
	if got != want {
		t.Fatalf("Normalize() = %+v; want %+v", got, want)
	}
}

func TestParsePrice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw  string
		want money.Cents
		ok   bool
	}{
		{"25.9", 2590, true},
		{"7", 700, true},
		{"0.01", 1, true},
		{"", 0, false},
		{"null", 0, false},
		{`"25.90"`, 0, false},
		{"1.999", 0, false},
		{"1e3", 0, false},
		{"true", 0, false},
	}
	for _, c := range cases {
		got, err := parsePrice(json.RawMessage(c.raw))
		var fe *FieldError
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("parsePrice(%s) = %d, %v; want %d", c.raw, got, err, c.want)
		}
		if !c.ok && (!errors.As(err, &fe) || fe.Field != "price") {
			t.Errorf("parsePrice(%s) = %d, %v; want an error on price", c.raw, got, err)
		}
	}
}

func TestBatchIDs(t *testing.T) {
	t.Parallel()
	a, b := "9d0d0000-0000-4000-8000-000000000011", "9d0d0000-0000-4000-8000-000000000012"
	cases := []struct {
		query string
		want  []string
		ok    bool
	}{
		{"", nil, true},
		{"category=x", nil, true},
		{"ids=" + a, []string{a}, true},
		{"ids=" + a + "," + b, []string{a, b}, true},
		{"ids=" + a + ",%20" + b, []string{a, b}, true},
		{"ids=" + a + "&ids=" + b, []string{a, b}, true},
		{"ids=" + a + "," + a, []string{a}, true},
		{"ids=" + strings.ToUpper(a), []string{a}, true},
		{"ids=" + strings.Repeat(a+",", 49) + a, []string{a}, true},
		{"ids=" + strings.Repeat(a+",", 50) + a, nil, false},
		{"ids=", nil, false},
		{"ids=" + a + ",", nil, false},
		{"ids=" + a + ",nope", nil, false},
	}
	for _, c := range cases {
		got, err := batchIDs(httptest.NewRequest("GET", "/products?"+c.query, nil))
		if c.ok != (err == nil) || strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("batchIDs(%q) = %v, %v; want %v (ok %v)", c.query, got, err, c.want, c.ok)
		}
	}
}
