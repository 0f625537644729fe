package console

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/comanda/comanda/harness"
)

// queuesView is every queue with its dead-letter queue: their counts, a
// look at the dead letters of each, and at the waiting messages of the
// queue asked for (Peeked).
type queuesView struct {
	Queues []queueView
	Peeked string
	Err    string
}

type queueView struct {
	harness.QueueStats
	Dead       []harness.QueuedMessage
	DeadOldest time.Duration // how long the oldest dead letter has waited
	Waiting    []harness.QueuedMessage
	Oldest     time.Duration // of the waiting messages looked at
}

// shown is how many messages a look shows.
const shown = 20

func (c *Console) queuesPage(w http.ResponseWriter, r *http.Request) {
	v := queuesView{Peeked: r.URL.Query().Get("peek")}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	stats, err := c.sys.QueueStats(ctx)
	if err != nil {
		v.Err = err.Error()
	}
	for _, st := range stats {
		q := queueView{QueueStats: st}
		if st.DeadLetter > 0 {
			q.Dead, _ = c.sys.Peek(ctx, st.Name, true, shown)
			q.DeadOldest = oldest(q.Dead)
		}
		if st.Name == v.Peeked && st.Visible > 0 {
			q.Waiting, _ = c.sys.Peek(ctx, st.Name, false, shown)
			q.Oldest = oldest(q.Waiting)
		}
		v.Queues = append(v.Queues, q)
	}
	c.render(w, r, "queues", page{Title: "Queues", Nav: "queues", Data: v})
}

// oldest is how long the first of msgs (oldest first) has waited.
func oldest(msgs []harness.QueuedMessage) time.Duration {
	if len(msgs) == 0 {
		return 0
	}
	return time.Since(msgs[0].Sent)
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
