package console

import (
	"context"
	"net/http"
	"time"

	"github.com/comanda/comanda/harness/apiclient"
)

// kitchenView is the kitchen as a cook sees it: the records received and
// in preparation, and the orders ready to hand over.
type kitchenView struct {
	Received   []apiclient.KitchenOrder
	InProgress []apiclient.KitchenOrder
	Ready      []apiclient.Order
	Err        string
}

func newKitchenView(s snapshot) kitchenView {
	v := kitchenView{Err: s.Err}
	for _, k := range s.Kitchen {
		switch k.Status {
		case "RECEIVED":
			v.Received = append(v.Received, k)
		case "IN_PREPARATION":
			v.InProgress = append(v.InProgress, k)
		}
	}
	for _, o := range s.Orders {
		if o.Status == "READY" {
			v.Ready = append(v.Ready, o)
		}
	}
	return v
}

func (c *Console) kitchenPage(w http.ResponseWriter, r *http.Request) {
	snap := c.board.fresh(r.Context(), c.cfg.Poll, c.read)
	c.render(w, r, "kitchen", page{Title: "Kitchen", Nav: "kitchen", Data: newKitchenView(snap)})
}

// moveKitchen starts or completes a kitchen record, as the employee.
func (c *Console) moveKitchen(w http.ResponseWriter, r *http.Request) {
	id, move := r.PathValue("id"), r.PathValue("move")
	if move != "started" && move != "completed" {
		http.NotFound(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	res, err := c.staff.do(ctx, http.MethodPut, "/production/"+id+"/"+move, nil)
	if err == nil {
		err = res.Expect(http.StatusOK, nil)
	}
	verb := map[string]string{"started": "started", "completed": "completed"}[move]
	back(w, r, "/kitchen", err, "Kitchen record "+short(id)+" "+verb+".")
}
