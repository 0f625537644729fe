package money

import (
	"encoding/json"
	"testing"
)

func TestParseAndFormat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want Cents
		out  string
	}{
		{"25.9", 2590, "25.9"},
		{"25.90", 2590, "25.9"},
		{"7", 700, "7"},
		{"0.05", 5, "0.05"},
		{"0", 0, "0"},
		{"1234.56", 123456, "1234.56"},
		{"-3.5", -350, "-3.5"},
	}
	for _, c := range cases {
		got, err := ParseReais(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseReais(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
		if got.String() != c.out {
			t.Errorf("%d.String() = %q; want %q", got, got.String(), c.out)
		}
	}
	for _, bad := range []string{"", "1.234", "1e3", "abc", ".5", "1.", "--1", "+1"} {
		if _, err := ParseReais(bad); err == nil {
			t.Errorf("ParseReais(%q) accepted", bad)
		}
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		Price Cents `json:"price"`
	}
	if err := json.Unmarshal([]byte(`{"price":19.99}`), &v); err != nil || v.Price != 1999 {
		t.Fatalf("unmarshal = %d, %v", v.Price, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"price":19.99}` {
		t.Fatalf("marshal = %s", b)
	}
	for _, bad := range []string{`{"price":"19.99"}`, `{"price":1.999}`, `{"price":1e2}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
	if FromReais(0.1+0.2) != 30 {
		t.Errorf("FromReais rounding")
	}
}
