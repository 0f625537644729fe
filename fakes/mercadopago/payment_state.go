package mercadopago

import "time"

// transition is one edge of the payment state machine: the verb that takes
// a payment from one status to another. There are no edges back to pending,
// so a state never goes backwards.
type transition struct {
	verb   string
	from   string
	to     string
	detail string
}

func approveTransition() transition {
	return transition{verb: "approve", from: StatusPending, to: StatusApproved, detail: DetailAccredited}
}

func rejectTransition() transition {
	return transition{verb: "reject", from: StatusPending, to: StatusRejected, detail: DetailRejectedByBank}
}

func expireTransition() transition {
	return transition{verb: "expire", from: StatusPending, to: StatusCancelled, detail: DetailExpired}
}

func cancelTransition() transition {
	return transition{verb: "cancel", from: StatusPending, to: StatusCancelled, detail: DetailByCollector}
}

func refundTransition() transition {
	return transition{verb: "refund", from: StatusApproved, to: StatusRefunded, detail: DetailRefunded}
}

// apply moves p along the edge at now, or says why it cannot.
func (t transition) apply(p *Payment, now time.Time) error {
	if p.Status != t.from {
		return &transitionError{id: p.ID, status: p.Status, verb: t.verb}
	}
	at := newTimestamp(now)
	p.Status, p.StatusDetail = t.to, t.detail
	p.DateLastUpdated = at
	switch t.to {
	case StatusApproved:
		p.DateApproved = at
		p.MoneyReleaseDate = at
		p.TransactionDetails.NetReceivedAmount = p.TransactionAmount
	case StatusRefunded:
		p.TransactionAmountRefunded = p.TransactionAmount
	}
	return nil
}
