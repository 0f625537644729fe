package console_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var browser = flag.Bool("browser", false, "run the console's tests in headless Chromium (make test-ui)")

// screens is where the browser test saves its screenshots: artifacts,
// never committed (bin/ is ignored).
const screens = "../../bin/console-screens"

// A person takes an order from placed to delivered, and breaks and heals
// a queue, in the console alone, in a real browser: the order shows on
// the live board without a reload, Approve pays it, the kitchen's Start
// and Complete make it READY, Deliver hands it over; a poison message is
// dead-lettered and redriven from the queues page. No page logs an error.
func TestConsoleInABrowser(t *testing.T) {
	if !*browser {
		t.Skip("needs Chromium: make test-ui (go test ./harness/console -browser)")
	}
	con := startConsole(t)
	b := newBrowser(t)

	b.open(con.url + "/")
	id := con.placeOrder(t)
	appeared := time.Now()
	b.wait(fmt.Sprintf(`tr[data-order=%q]`, id))
	t.Logf("the order appeared on the open board %s after it was placed, without a reload", time.Since(appeared).Round(time.Millisecond))
	b.wait(fmt.Sprintf(`tr[data-order=%q][data-status="AWAITING_PAYMENT"]`, id))
	b.screenshot("orders")

	b.open(con.url + "/payments")
	b.screenshot("payments")
	b.click(fmt.Sprintf(`tr[data-order=%q] button[aria-label^="approve "]`, id))
	b.wait(`.notice`)

	b.open(con.url + "/")
	b.wait(fmt.Sprintf(`tr[data-order=%q][data-status="PAID"]`, id))

	b.open(con.url + "/kitchen")
	b.wait(fmt.Sprintf(`#kitchen-board section[aria-labelledby="received"] .ticket[data-order=%q]`, id))
	b.screenshot("kitchen")
	b.click(fmt.Sprintf(`button[aria-label="Start order %s"]`, id[:8]))
	b.wait(fmt.Sprintf(`#kitchen-board section[aria-labelledby="preparing"] .ticket[data-order=%q]`, id))
	b.click(fmt.Sprintf(`button[aria-label="Complete order %s"]`, id[:8]))
	b.wait(fmt.Sprintf(`#kitchen-board section[aria-labelledby="ready"] .ticket[data-order=%q]`, id))
	b.click(fmt.Sprintf(`button[aria-label="Deliver order %s"]`, id[:8]))
	b.wait(`.notice`)

	b.open(con.url + "/orders/" + id)
	b.wait(`table.waterfall`)
	if got := b.text(`#summary + dl .status`); got != "DELIVERED" {
		t.Errorf("the order's page says %q; want DELIVERED", got)
	}
	b.screenshot("order")

	b.open(con.url + "/queues")
	b.click(`button[aria-label="Send a poison message to production-service-queue"]`)
	b.waitReloading(`tr[data-queue="production-service-queue"] td[data-dead="1"]`)
	b.screenshot("queues")
	b.click(`button[aria-label="Redrive the dead letters of production-service-queue"]`)
	if got := b.text(`.notice`); !strings.HasPrefix(got, "1 messages moved back") {
		t.Errorf("after Redrive the page says %q; want the message moved back", got)
	}

	b.open(con.url + "/faults")
	b.screenshot("faults")

	// On a tablet, held upright: the pages reflow, nothing is cut.
	b.run("tablet", chromedp.EmulateViewport(768, 1024))
	for name, p := range map[string]string{"orders": "/", "kitchen": "/kitchen", "order": "/orders/" + id} {
		b.open(con.url + p)
		if wide, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)); wide {
			t.Errorf("%s is wider than a 768-pixel tablet: it scrolls sideways", p)
		}
		b.screenshot(name + "-tablet")
	}
	b.noErrors()
}

// browserSession is one headless Chromium, driven by chromedp, that keeps
// what its pages logged as errors.
type browserSession struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browserSession {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Fatal("chromium is not installed (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browserSession{t: t, ctx: ctx}
	if err := chromedp.Listen(ctx, b.keepErrors); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if err := os.MkdirAll(screens, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

// chromium is Debian's chromium, or another build of Chrome on PATH.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	return ""
}

// keepErrors keeps what the pages log as errors, and what they throw.
func (b *browserSession) keepErrors(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			b.errors = append(b.errors, "console.error: "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		what := d.Text
		if d.Exception != nil {
			what += " " + d.Exception.Description
		}
		b.errors = append(b.errors, "exception: "+what)
	}
}

// step bounds one browser action: generous, since it waits for a
// condition, never for a time.
const step = 30 * time.Second

func (b *browserSession) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		url, _ := chromedp.Run(b.ctx, chromedp.Location())
		b.t.Fatalf("%s (at %s): %v", what, url, err)
	}
}

func (b *browserSession) open(url string) {
	b.t.Helper()
	b.run("open "+url, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	if loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof htmx === "object"`)); err != nil || !loaded {
		b.t.Fatalf("%s: htmx did not load (%v)", url, err)
	}
}

func (b *browserSession) wait(sel string) {
	b.t.Helper()
	b.run("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// click clicks a button that submits a form, and waits for the page it
// leads to (the console answers every action with a redirect).
func (b *browserSession) click(sel string) {
	b.t.Helper()
	b.wait(sel)
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s: %v", sel, err)
	}
	if res.Status != 200 {
		b.t.Fatalf("click %s: led to %s, %d", sel, res.URL, res.Status)
	}
}

func (b *browserSession) text(sel string) string {
	b.t.Helper()
	b.wait(sel)
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// waitReloading reloads a page that is not live until sel shows on it.
func (b *browserSession) waitReloading(sel string) {
	b.t.Helper()
	deadline := time.Now().Add(step)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, step)
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		cancel()
		if err != nil {
			b.t.Fatalf("look for %s: %v", sel, err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s did not show within %s", sel, step)
		}
		time.Sleep(100 * time.Millisecond)
		b.run("reload", chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("body")))
	}
}

func (b *browserSession) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, step)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(screens, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}

func (b *browserSession) noErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("a page logged %s", e)
	}
}
