package mercadopago

import (
	"slices"
	"time"
)

// transition is one edge of the payment state machine: the verb that takes
// a payment from one status to another. There are no edges back to pending,
// so a state never goes backwards.
type transition struct {
	verb     string
	from     string
	alsoFrom []string // other statuses the verb applies to
	to       string
	detail   string
}

// awaitingMoney are the statuses of a payment whose money has not arrived.
var awaitingMoney = []string{StatusInProcess, StatusAuthorized}

func approveTransition() transition {
	return transition{verb: "approve", from: StatusPending, alsoFrom: awaitingMoney, to: StatusApproved, detail: DetailAccredited}
}

// rejectTransition refuses a payment for reason, one of RejectionDetails.
func rejectTransition(reason string) transition {
	return transition{verb: "reject", from: StatusPending, alsoFrom: awaitingMoney, to: StatusRejected, detail: reason}
}

func processTransition() transition {
	return transition{verb: "process", from: StatusPending, to: StatusInProcess, detail: DetailPendingReviewManual}
}

func authorizeTransition() transition {
	return transition{verb: "authorize", from: StatusPending, alsoFrom: []string{StatusInProcess}, to: StatusAuthorized, detail: DetailPendingCapture}
}

func disputeTransition() transition {
	return transition{verb: "dispute", from: StatusApproved, to: StatusInMediation, detail: DetailInMediation}
}

func chargeBackTransition() transition {
	return transition{verb: "charge-back", from: StatusApproved, alsoFrom: []string{StatusInMediation}, to: StatusChargedBack, detail: DetailSettled}
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

// allows reports whether the verb applies to a payment in status.
func (t transition) allows(status string) bool {
	return status == t.from || slices.Contains(t.alsoFrom, status)
}

// apply moves p along the edge at now, or says why it cannot.
func (t transition) apply(p *Payment, now time.Time) error {
	if !t.allows(p.Status) {
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
