// Package console is the sandbox's web console: the system's live state on
// a few pages, and buttons for what a developer does to it. The orders
// board (live, by server-sent events), an order's whole life (items,
// payment, history, its trace, its log lines, Mercado Pago's notifications
// and the messages it caused), the fake's payments and their verbs, the
// kitchen as a cook sees it, the queues and their dead letters, and the
// harness's faults. It is served on a loopback address beside the sandbox,
// never deployed; it acts through the same doors a developer would: the
// public API (as the bootstrap employee), the fake's control API, and the
// harness.
//
// Pages are server-rendered Go templates; the only script is htmx and its
// SSE extension, vendored from npm and embedded (build/vendor-console.sh):
// no build step, and it works offline.
package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/comanda/comanda/fakes/mercadopago"
	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/apiclient"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// System is what the console uses of the harness's running system.
type System interface {
	ServiceNames() []string
	ServiceRunning(name string) bool
	StopService(ctx context.Context, name string) error
	StartService(ctx context.Context, name string) error
	RestartService(ctx context.Context, name string) error
	PauseService(ctx context.Context, name string) error
	ResumeService(ctx context.Context, name string) error
	InProcess() bool
	Spans() []sdktrace.ReadOnlySpan
	LogLines() []string
	QueueStats(ctx context.Context) ([]harness.QueueStats, error)
	Peek(ctx context.Context, queue string, dead bool, most int) ([]harness.QueuedMessage, error)
	Redrive(ctx context.Context, queue string) (int, error)
	SendMessage(ctx context.Context, queue, body string) error
}

// Config is where the console finds the system.
type Config struct {
	GatewayURL       string // the public API
	FakeURL          string // the fake Mercado Pago, its control API under /_fake
	EmployeeEmail    string // the bootstrap employee the kitchen buttons act as
	EmployeePassword string
	// Poll is how often the console reads the orders and the kitchen
	// while a live board is open; 500 ms if zero.
	Poll time.Duration
	Log  *slog.Logger
}

// Console serves the pages; Run keeps its boards live.
type Console struct {
	cfg   Config
	sys   System
	staff *staff
	fake  mercadopago.ControlClient
	pages map[string]*template.Template
	board *board
}

// New builds the console of sys.
func New(cfg Config, sys System) (*Console, error) {
	if cfg.Poll <= 0 {
		cfg.Poll = 500 * time.Millisecond
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	api := apiclient.New(cfg.GatewayURL)
	return &Console{
		cfg: cfg, sys: sys, pages: pages, board: newBoard(),
		staff: &staff{api: api, email: cfg.EmployeeEmail, password: cfg.EmployeePassword},
		fake:  mercadopago.NewControlClient(cfg.FakeURL),
	}, nil
}

// Listen opens the console's address, which must be a loopback one: the
// console acts on the system without asking who clicks.
func Listen(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("console address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("console address %q: the console listens on a loopback address only (127.0.0.1, ::1)", addr)
	}
	return net.Listen("tcp", addr)
}

// Serve serves the console on ln, and keeps its boards live, until ctx
// ends.
func (c *Console) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	go c.board.run(ctx, c.cfg.Poll, c.read)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Handler is the console's routes.
func (c *Console) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", c.ordersPage)
	mux.HandleFunc("GET /events", c.events)
	mux.HandleFunc("POST /orders", c.placeOrder)
	mux.HandleFunc("GET /orders/{id}", c.orderPage)
	mux.HandleFunc("POST /orders/{id}/delivered", c.deliver)
	mux.HandleFunc("GET /kitchen", c.kitchenPage)
	mux.HandleFunc("POST /kitchen/{id}/{move}", c.moveKitchen)
	mux.HandleFunc("GET /payments", c.paymentsPage)
	mux.HandleFunc("POST /payments/{id}/{verb}", c.actOnPayment)
	mux.HandleFunc("POST /payments/settings", c.paymentSettings)
	mux.HandleFunc("GET /queues", c.queuesPage)
	mux.HandleFunc("POST /queues/{queue}/redrive", c.redrive)
	mux.HandleFunc("POST /queues/{queue}/poison", c.poison)
	mux.HandleFunc("GET /faults", c.faultsPage)
	mux.HandleFunc("POST /faults/{service}/{action}", c.fault)
	return mux
}
