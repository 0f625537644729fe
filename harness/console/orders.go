package console

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// statuses are the order statuses, in the order of an order's life.
var statuses = []string{"RECEIVED", "AWAITING_PAYMENT", "PAID", "IN_PREPARATION", "READY", "DELIVERED", "CANCELLED"}

// ordersView is the orders board: the orders in status Filter (all when
// empty), and how many there are in each status.
type ordersView struct {
	Menu     []apiclient.Product // for the totem; nil in the live fragment
	Filter   string
	Statuses []string
	Counts   map[string]int
	Orders   []apiclient.Order
	Err      string
}

func newOrdersView(s snapshot, filter string) ordersView {
	v := ordersView{Filter: filter, Statuses: statuses, Counts: map[string]int{}, Err: s.Err}
	for _, o := range s.Orders {
		v.Counts[o.Status]++
		if filter == "" || o.Status == filter {
			v.Orders = append(v.Orders, o)
		}
	}
	return v
}

// statusFilter is the status query parameter when it names a status.
func statusFilter(r *http.Request) string {
	if s := strings.ToUpper(r.URL.Query().Get("status")); slices.Contains(statuses, s) {
		return s
	}
	return ""
}

func (c *Console) ordersPage(w http.ResponseWriter, r *http.Request) {
	v := newOrdersView(c.board.fresh(r.Context(), c.cfg.Poll, c.read), statusFilter(r))
	v.Menu, _ = c.menu(r.Context()) // without a menu, no totem: the board still shows
	c.render(w, r, "orders", page{Title: "Orders", Nav: "orders", Data: v})
}

// events streams the live boards as server-sent events: the board named
// by view (orders, or kitchen) at once, then again whenever the system
// changes, and every second besides, for the ages.
func (c *Console) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	view, filter := r.URL.Query().Get("view"), statusFilter(r)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	defer c.board.watch()()
	c.board.fresh(r.Context(), c.cfg.Poll, c.read)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		snap, changed := c.board.current()
		html, err := c.liveFragment(view, snap, filter)
		if err != nil {
			c.cfg.Log.Error("console board", "view", view, "err", err)
			return
		}
		fmt.Fprintf(w, "event: board\n")
		for line := range strings.SplitSeq(html, "\n") {
			fmt.Fprintf(w, "data: %s\n", line)
		}
		fmt.Fprint(w, "\n")
		flusher.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		case <-tick.C:
		}
	}
}

func (c *Console) liveFragment(view string, snap snapshot, filter string) (string, error) {
	if view == "kitchen" {
		return c.fragment("kitchen", "kitchen-board", newKitchenView(snap))
	}
	return c.fragment("orders", "orders-board", newOrdersView(snap, filter))
}
