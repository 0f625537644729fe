package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/comanda/comanda/harness"
	"github.com/comanda/comanda/harness/apiclient"
)

// target is the system under load: booted here, or already running.
type target struct {
	api     *apiclient.Client
	fakeURL string
	staff   string // the automated kitchen's token
	sys     *harness.System
	bootMS  float64
	logFile *os.File
}

// newHTTPClient keeps enough connections alive for every virtual client.
func newHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 1024
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// startTarget boots the system in-process, its services with the
// OpenTelemetry settings telemetry (none: off), or connects to cfg.URL.
func startTarget(ctx context.Context, cfg config, log *slog.Logger, telemetry map[string]string) (*target, error) {
	t := &target{}
	email, password := cfg.StaffEmail, cfg.StaffPass
	if cfg.URL != "" {
		t.api, t.fakeURL = apiclient.New(cfg.URL), cfg.FakeURL
	} else {
		opts := harness.Options{Log: log, ServiceLogLevel: "warn", ServiceEnv: harness.LoadTestLimits(), Telemetry: telemetry}
		if cfg.Logs != "" {
			f, err := os.Create(cfg.Logs)
			if err != nil {
				return nil, err
			}
			t.logFile, opts.ServiceLogs = f, f
		}
		sys, err := harness.Start(ctx, opts)
		if err != nil {
			t.close()
			return nil, err
		}
		t.sys, t.bootMS = sys, float64(sys.BootTime.Microseconds())/1000
		t.api, t.fakeURL = apiclient.New(sys.GatewayURL), sys.FakeURL
		email, password = sys.EmployeeEmail, sys.EmployeePassword
	}
	t.api.HTTP = newHTTPClient()
	res, err := t.api.Do(ctx, "POST", "/auth/token", "", map[string]string{"email": email, "password": password})
	if err != nil {
		t.close()
		return nil, err
	}
	var tok apiclient.Token
	if err := res.Expect(200, &tok); err != nil {
		t.close()
		return nil, fmt.Errorf("log the kitchen in as %s: %w", email, err)
	}
	t.staff = tok.AccessToken
	return t, nil
}

// autoApprove has the fake approve every new payment after d (0: off).
func (t *target) autoApprove(ctx context.Context, d time.Duration) error {
	method, body := http.MethodPut, fmt.Sprintf(`{"after":%q}`, d.String())
	if d == 0 {
		method, body = http.MethodDelete, ""
	}
	req, err := http.NewRequestWithContext(ctx, method, t.fakeURL+"/_fake/auto-approve", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := t.api.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("auto-approve on the fake at %s: %w", t.fakeURL, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("auto-approve on the fake: %d %s", res.StatusCode, raw)
	}
	return nil
}

// close stops the system, if it was booted here; again, it does nothing.
func (t *target) close() {
	if t.sys != nil {
		_ = t.sys.Close()
		t.sys = nil
	}
	if t.logFile != nil {
		_ = t.logFile.Close()
		t.logFile = nil
	}
}

// shopFloor is what takes orders on a target: the virtual customers, and the
// automated kitchen, which runs until stop.
type shopFloor struct {
	placer  *placer
	kitchen *kitchen
	stop    func() // stops the kitchen and waits for it; again, nothing
}

// openFloor has the fake approve every payment after cfg.ApproveAfter,
// signs the customers in and starts the automated kitchen, both writing
// into bk.
func (t *target) openFloor(ctx context.Context, cfg config, bk *book) (*shopFloor, error) {
	if err := t.autoApprove(ctx, cfg.ApproveAfter); err != nil {
		return nil, err
	}
	sh, err := openShop(ctx, t.api, cfg.Customers)
	if err != nil {
		return nil, fmt.Errorf("sign the customers in: %w", err)
	}
	k := &kitchen{api: t.api, staff: t.staff, cooks: cfg.Cooks, cookTime: cfg.CookTime, poll: cfg.KitchenPoll, book: bk}
	kctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { k.run(kctx) })
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); wg.Wait() }) }
	return &shopFloor{placer: &placer{api: t.api, shop: sh, book: bk}, kitchen: k, stop: stop}, nil
}
