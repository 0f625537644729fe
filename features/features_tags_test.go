package features

import "testing"

func TestWithTag(t *testing.T) {
	t.Parallel()
	tests := []struct{ expr, tag, want string }{
		{"", "~@serial", "~@serial"},
		{"  ", "@serial", "@serial"},
		{"@payment", "~@serial", "@payment && ~@serial"},
		{"@payment,@kitchen", "@serial", "@payment && @serial,@kitchen && @serial"},
		{"@payment && ~@slow, @menu", "~@serial", "@payment && ~@slow && ~@serial,@menu && ~@serial"},
	}
	for _, tt := range tests {
		if got := withTag(tt.expr, tt.tag); got != tt.want {
			t.Errorf("withTag(%q, %q) = %q, want %q", tt.expr, tt.tag, got, tt.want)
		}
	}
}
