package features

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// actor is one person in a scenario: a customer with a token and an order.
type actor struct {
	name    string
	taxID   string
	id      string
	token   string
	orderID string
}

// world is one scenario's state; each scenario gets a fresh one, so scenarios
// can run side by side against the one shared system.
type world struct {
	api      *apiclient.Client
	actors   map[string]*actor
	current  *actor
	anon     []*actor
	employee string
	last     *apiclient.Response
	menu     []apiclient.Product
	product  map[string]any // the product an employee last added
	mp       mercadoPago
	res      resilience
	obs      observed
}

// newWorld is a scenario's fresh state. Its requests come from an address
// of its own, as from a totem of its own, so that the per-address limits
// one scenario runs into never touch another.
func newWorld() *world {
	return &world{api: apiclient.NewFrom(suite.GatewayURL, clientAddresses.next()), actors: map[string]*actor{}}
}

// clientAddresses hands out loopback addresses no other client uses.
var clientAddresses addressPool

// addressPool counts through 127.1.0.1, 127.1.0.2, … (never 127.0.0.1,
// where the tools and the services themselves call from).
type addressPool struct{ n atomic.Uint32 }

func (p *addressPool) next() netip.Addr {
	n := p.n.Add(1)
	return netip.AddrFrom4([4]byte{127, 1, byte(n / 250), byte(n%250 + 1)})
}

// do sends a request and remembers the answer for "the answer is…" steps.
func (w *world) do(ctx context.Context, method, path, bearer string, body any) (*apiclient.Response, error) {
	res, err := w.api.Do(ctx, method, path, bearer, body)
	if err != nil {
		return nil, err
	}
	w.last = res
	return res, nil
}

func (w *world) customer() (*actor, error) {
	if w.current == nil {
		return nil, errors.New("no customer in this scenario yet")
	}
	return w.current, nil
}

func (w *world) actor(name string) (*actor, error) {
	a, ok := w.actors[name]
	if !ok {
		return nil, fmt.Errorf("no customer named %q in this scenario", name)
	}
	return a, nil
}

func (w *world) order() (*actor, error) {
	a, err := w.customer()
	if err != nil {
		return nil, err
	}
	if a.orderID == "" {
		return nil, fmt.Errorf("%s has no order yet", a.name)
	}
	return a, nil
}

// employeeToken logs the bootstrap employee in once per scenario.
func (w *world) employeeToken(ctx context.Context) (string, error) {
	if w.employee != "" {
		return w.employee, nil
	}
	res, err := w.loginEmployee(ctx, w.api)
	if err != nil {
		return "", err
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		return "", err
	}
	w.employee = tok.AccessToken
	return w.employee, nil
}

// loginEmployee asks api for the bootstrap employee's token. (The suite
// lets as many password checks run at once as scenarios need, so no login
// is refused for the auth service being busy.)
func (w *world) loginEmployee(ctx context.Context, api *apiclient.Client) (*apiclient.Response, error) {
	return api.Do(ctx, "POST", "/auth/token", "", map[string]string{
		"email": suite.EmployeeEmail, "password": suite.EmployeePassword,
	})
}

// employeeGet reads path as the employee, expecting 200, into v. Like every
// check, it leaves the remembered answer alone.
func (w *world) employeeGet(ctx context.Context, path string, v any) error {
	staff, err := w.employeeToken(ctx)
	if err != nil {
		return err
	}
	res, err := w.api.Do(ctx, "GET", path, staff, nil)
	if err != nil {
		return err
	}
	return res.Expect(200, v)
}

// employeeDo sends a request as the employee and remembers the answer.
func (w *world) employeeDo(ctx context.Context, method, path string, body any) (*apiclient.Response, error) {
	staff, err := w.employeeToken(ctx)
	if err != nil {
		return nil, err
	}
	return w.do(ctx, method, path, staff, body)
}

// eventually retries check until it passes or the deadline comes; asynchronous
// outcomes are awaited this way, never by sleeping a fixed time. A failure
// carries the last error and the service log lines about the current order.
func (w *world) eventually(ctx context.Context, what string, check func() error) error {
	ctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	var err error
	for {
		if err = check(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not happen in time: %w%s", what, err, w.relevantLogs())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

func (w *world) relevantLogs() string {
	if w.current == nil || w.current.orderID == "" {
		return ""
	}
	lines := strings.Split(suite.Logs(w.current.orderID), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return "\nservice logs about order " + w.current.orderID + ":\n" + strings.Join(lines, "\n")
}

type jsonNumber string

func (n jsonNumber) MarshalJSON() ([]byte, error) { return []byte(n), nil }
