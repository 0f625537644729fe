package gateway

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/comanda/comanda/services/platform/web"
)

// healthCheck answers GET /healthz: 200 when every service's own /healthz
// answers 200, else 503 naming the services that are down.
type healthCheck struct {
	backends map[string]*url.URL
	client   *http.Client // its Timeout bounds each check
	log      *slog.Logger
}

func (h *healthCheck) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		web.WriteError(w, r, nil, web.NewError(http.StatusMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	states := h.checkAll(r.Context())
	var down []string
	for name, state := range states {
		if state != "up" {
			down = append(down, name)
		}
	}
	if len(down) > 0 {
		slices.Sort(down)
		h.log.WarnContext(r.Context(), "services down", "services", down)
		web.WriteError(w, r, nil, web.NewError(http.StatusServiceUnavailable, "unhealthy", "services down: %s", strings.Join(down, ", ")))
		return
	}
	web.Respond(w, http.StatusOK, map[string]any{"status": "ok", "services": states})
}

// checkAll asks every service at once; each answer is "up" or "down".
func (h *healthCheck) checkAll(ctx context.Context) map[string]string {
	states := make(map[string]string, len(h.backends))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, base := range h.backends {
		wg.Go(func() {
			state := "up"
			if err := h.check(ctx, base); err != nil {
				state = "down"
				h.log.DebugContext(ctx, "health check failed", "service", name, "err", err)
			}
			mu.Lock()
			states[name] = state
			mu.Unlock()
		})
	}
	wg.Wait()
	return states
}

func (h *healthCheck) check(ctx context.Context, base *url.URL) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("/healthz").String(), nil)
	if err != nil {
		return err
	}
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
