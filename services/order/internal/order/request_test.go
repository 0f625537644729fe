package order

import (
	"errors"
	"strings"
	"testing"
)

func TestPlaceRequestLines(t *testing.T) {
	t.Parallel()
	const id = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
	line := func(q int) LineRequest { return LineRequest{ProductID: id, Quantity: q} }
	many := func(n int) []LineRequest {
		out := make([]LineRequest, n)
		for i := range out {
			out[i] = line(1)
		}
		return out
	}
	tests := []struct {
		name  string
		items []LineRequest
		field string // "" when valid
	}{
		{"one line", []LineRequest{line(1)}, ""},
		{"fifty lines", many(50), ""},
		{"twenty of one", []LineRequest{line(20)}, ""},
		{"same product twice", []LineRequest{line(20), line(20)}, ""},
		{"no items", nil, "items"},
		{"empty items", []LineRequest{}, "items"},
		{"fifty-one lines", many(51), "items"},
		{"zero quantity", []LineRequest{line(1), line(0)}, "items[1].quantity"},
		{"negative quantity", []LineRequest{line(-1)}, "items[0].quantity"},
		{"twenty-one", []LineRequest{line(1), line(1), line(21)}, "items[2].quantity"},
		{"missing product", []LineRequest{{Quantity: 1}}, "items[0].product_id"},
		{"not a uuid", []LineRequest{{ProductID: "burger", Quantity: 1}}, "items[0].product_id"},
		{"uuid without dashes", []LineRequest{{ProductID: strings.ReplaceAll(id, "-", ""), Quantity: 1}}, "items[0].product_id"},
		{"uuid in braces", []LineRequest{{ProductID: "{" + id + "}", Quantity: 1}}, "items[0].product_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lines, err := PlaceRequest{Items: tc.items}.Lines()
			var inv *FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("Lines() = %v; want valid", err)
			case tc.field == "":
				if len(lines) != len(tc.items) || lines[0].ProductID != strings.ToLower(id) {
					t.Fatalf("Lines() = %+v; want %d canonical lines", lines, len(tc.items))
				}
			case !errors.As(err, &inv) || inv.Field != tc.field:
				t.Fatalf("Lines() = %v; want a FieldError on %s", err, tc.field)
			}
		})
	}
}
