package console_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/apiclient"
	"github.com/comanda/comanda/harness/console"
)

// runningConsole is a whole system in-process with its console.
type runningConsole struct {
	url string
	sys *harness.System
	api *apiclient.Client
}

func startConsole(t *testing.T) *runningConsole {
	t.Helper()
	sys, err := harness.Start(t.Context(), harness.Options{RecordTelemetry: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sys.Close() })
	c, err := console.New(console.Config{GatewayURL: sys.GatewayURL, FakeURL: sys.FakeURL,
		EmployeeEmail: sys.EmployeeEmail, EmployeePassword: sys.EmployeePassword}, sys)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := console.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("console: %v", err)
		}
	})
	return &runningConsole{url: "http://" + ln.Addr().String(), sys: sys, api: apiclient.New(sys.GatewayURL)}
}

// placeOrder places an order as an anonymous customer, through the API.
func (c *runningConsole) placeOrder(t *testing.T) string {
	t.Helper()
	ctx := t.Context()
	var tok apiclient.Token
	if res, err := c.api.Do(ctx, http.MethodPost, "/auth/token", "", map[string]string{}); err != nil || res.Expect(http.StatusOK, &tok) != nil {
		t.Fatalf("token: %v %v", err, res)
	}
	var products []apiclient.Product
	if res, err := c.api.Do(ctx, http.MethodGet, "/products", "", nil); err != nil || res.Expect(http.StatusOK, &products) != nil {
		t.Fatalf("products: %v %v", err, res)
	}
	var order apiclient.Order
	res, err := c.api.Do(ctx, http.MethodPost, "/order", tok.AccessToken,
		map[string]any{"items": []apiclient.OrderLine{{ProductID: products[0].ID, Quantity: 2}}})
	if err != nil || res.Expect(http.StatusCreated, &order) != nil {
		t.Fatalf("order: %v %v", err, res)
	}
	return order.ID
}

// get fetches a console page and returns its body.
func (c *runningConsole) get(t *testing.T, path string) string {
	t.Helper()
	res, err := http.Get(c.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
	}
	return string(body)
}

// The console listens on loopback addresses only.
func TestListenRefusesAnAddressBeyondLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:8070"} {
		if ln, err := console.Listen(addr); err == nil {
			ln.Close()
			t.Errorf("Listen(%q) opened it; want it refused", addr)
		}
	}
}

// Without a browser: the board streams an order placed after it was
// opened, every page renders, and the kitchen's buttons move the order
// through the API.
func TestConsolePagesAndLiveBoard(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	res, err := http.Get(con.url + "/events?view=orders")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	id := con.placeOrder(t)
	events := bufio.NewScanner(res.Body)
	events.Buffer(make([]byte, 1<<20), 1<<20)
	for seen := false; !seen; {
		if !events.Scan() {
			t.Fatalf("the stream ended before showing order %s: %v", id, events.Err())
		}
		seen = strings.Contains(events.Text(), `data-order="`+id+`"`)
	}
	for _, path := range []string{"/", "/kitchen", "/payments", "/queues", "/faults", "/orders/" + id} {
		if body := con.get(t, path); !strings.Contains(body, "</html>") {
			t.Errorf("GET %s: not a whole page", path)
		}
	}
	if body := con.get(t, "/orders/"+id); !strings.Contains(body, `class="waterfall"`) || !strings.Contains(body, "POST /order") {
		t.Errorf("the order's page has no trace with its POST /order")
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res2, err := noRedirect.PostForm(con.url+"/faults/catalog/frobnicate", nil)
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown fault answered %d; want 404", res2.StatusCode)
	}
}

// post submits a console form and returns where it sends the browser.
func (c *runningConsole) post(t *testing.T, path string, form url.Values) string {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(c.url+path, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d; want 303", path, res.StatusCode)
	}
	to, _ := url.QueryUnescape(res.Header.Get("Location"))
	return to
}

// eventually polls cond until it holds, for at most a generous while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen", what)
		}
	}
}

// The totem form places an order as a named customer, through the API.
func TestTotemPlacesAnOrder(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	var products []apiclient.Product
	if res, err := con.api.Do(t.Context(), http.MethodGet, "/products", "", nil); err != nil || res.Expect(http.StatusOK, &products) != nil {
		t.Fatalf("products: %v %v", err, res)
	}
	to := con.post(t, "/orders", url.Values{"product": {products[0].ID}, "quantity": {"3"}, "name": {"Lia"}})
	if !strings.Contains(to, "notice=Order ") || !strings.Contains(to, "placed") {
		t.Fatalf("the totem answered %q; want the order placed", to)
	}
	eventually(t, "the order on the board as Lia's", func() bool {
		return strings.Contains(con.get(t, "/"), "<td>Lia</td>")
	})
	if to := con.post(t, "/orders", url.Values{"product": {products[0].ID}, "quantity": {"0"}}); !strings.Contains(to, "alert=quantity") {
		t.Errorf("a quantity of 0 answered %q; want it refused", to)
	}
}

// A message waiting for a frozen consumer can be looked at without being
// taken; a poison message's dead letter is shown and redriven.
func TestQueuesPageLooksAndRedrives(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	const queue = "production-service-queue"
	if err := con.sys.PauseService(t.Context(), "production"); err != nil {
		t.Fatal(err)
	}
	con.post(t, "/queues/"+queue+"/poison", url.Values{"back": {"/queues"}})
	eventually(t, "the waiting poison message in a look", func() bool {
		return strings.Contains(con.get(t, "/queues?peek="+queue), "not an event envelope")
	})
	if err := con.sys.ResumeService(t.Context(), "production"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the poison message dead-lettered", func() bool {
		return strings.Contains(con.get(t, "/queues"), `data-dead="1"`)
	})
	if page := con.get(t, "/queues"); !strings.Contains(page, "Dead letters of "+queue) || !strings.Contains(page, "malformed event") {
		t.Errorf("the queues page does not show the dead letter and its reason")
	}
	if to := con.post(t, "/queues/"+queue+"/redrive", url.Values{"back": {"/queues"}}); !strings.Contains(to, "1 messages moved back onto "+queue) {
		t.Errorf("Redrive answered %q", to)
	}
}

// An order the API does not know is said so on its page, not a blank one.
func TestUnknownOrderIsSaidSo(t *testing.T) {
	t.Parallel()
	con := startConsole(t)
	if page := con.get(t, "/orders/00000000-0000-4000-8000-000000000000"); !strings.Contains(page, `class="alert"`) || !strings.Contains(page, "404") {
		t.Errorf("the page of an unknown order shows no error")
	}
}
