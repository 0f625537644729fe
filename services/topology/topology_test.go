package topology

import "testing"

func TestLoadAndRoute(t *testing.T) {
	t.Parallel()
	top, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"/auth/token":           "auth",
		"/auth":                 "auth",
		"/products/abc":         "catalog",
		"/categories":           "catalog",
		"/order/1/delivered":    "order",
		"/payment/webhook":      "payment",
		"/production/x/started": "production",
	}
	for path, want := range cases {
		if got, ok := top.ServiceFor(path); !ok || got != want {
			t.Errorf("ServiceFor(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
	for _, path := range []string{"/orders", "/authx", "/", "/healthz"} {
		if got, ok := top.ServiceFor(path); ok {
			t.Errorf("ServiceFor(%q) = %q; want no route", path, got)
		}
	}
	if len(top.Queues.Names) != 3 || top.Queues.MaxReceiveCount != 5 {
		t.Errorf("queues = %+v", top.Queues)
	}
}
