package production

import (
	"fmt"

	"github.com/comanda/comanda/services/events"
)

// Transition is one step an employee can ask of the kitchen: it applies only
// to a record in From, leaves it in To and is announced with Event.
type Transition struct {
	Action string
	From   Status
	To     Status
	Event  string
}

// transitions is the kitchen's whole status machine.
func transitions() []Transition {
	return []Transition{
		{Action: "started", From: StatusReceived, To: StatusInPreparation, Event: events.ProductionStarted},
		{Action: "completed", From: StatusInPreparation, To: StatusCompleted, Event: events.ProductionCompleted},
	}
}

// TransitionFor returns the transition named by action ("started", "completed").
func TransitionFor(action string) (Transition, bool) {
	for _, t := range transitions() {
		if t.Action == action {
			return t, true
		}
	}
	return Transition{}, false
}

// Check reports whether t applies to a record in current.
func (t Transition) Check(current Status) error {
	if current != t.From {
		return fmt.Errorf("%w: %s needs %s, the record is %s", ErrInvalidTransition, t.Action, t.From, current)
	}
	return nil
}
