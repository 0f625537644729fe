package console

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/comanda/comanda/harness"
)

// queuesView is every queue with its dead-letter queue, and a look at the
// dead letters of each.
type queuesView struct {
	Queues []queueView
	Err    string
}

type queueView struct {
	harness.QueueStats
	Dead []harness.QueuedMessage
}

// deadShown is how many dead letters a queue's look shows.
const deadShown = 20

func (c *Console) queuesPage(w http.ResponseWriter, r *http.Request) {
	var v queuesView
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	stats, err := c.sys.QueueStats(ctx)
	if err != nil {
		v.Err = err.Error()
	}
	for _, st := range stats {
		q := queueView{QueueStats: st}
		if st.DeadLetter > 0 {
			q.Dead, _ = c.sys.PeekDeadLetters(ctx, st.Name, deadShown)
		}
		v.Queues = append(v.Queues, q)
	}
	c.render(w, r, "queues", page{Title: "Queues", Nav: "queues", Data: v})
}

// redrive moves a queue's dead letters back onto it.
func (c *Console) redrive(w http.ResponseWriter, r *http.Request) {
	queue := r.PathValue("queue")
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	n, err := c.sys.Redrive(ctx, queue)
	back(w, r, "/queues", err, fmt.Sprintf("%d messages moved back onto %s.", n, queue))
}

// poison puts a message no consumer can handle on a queue: the way to see
// the dead-letter queue at work.
func (c *Console) poison(w http.ResponseWriter, r *http.Request) {
	queue := r.PathValue("queue")
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	err := c.sys.SendMessage(ctx, queue, `{"poison":"not an event envelope"}`)
	back(w, r, "/queues", err, "A poison message is on "+queue+": its consumer dead-letters it.")
}
