package payment

// Mercado Pago payment statuses, as its API spells them.
const (
	mpPending     = "pending"
	mpInProcess   = "in_process"
	mpAuthorized  = "authorized"
	mpApproved    = "approved"
	mpInMediation = "in_mediation"
	mpRefunded    = "refunded"
	mpChargedBack = "charged_back"
	mpRejected    = "rejected"
	mpCancelled   = "cancelled"
)

// mpPartiallyRefunded is the status_detail of an approved payment part of
// whose money was given back; the payment stays approved.
const mpPartiallyRefunded = "partially_refunded"

// currencyBRL is the only currency our payments are made in.
const currencyBRL = "BRL"

// statusFromProvider maps a Mercado Pago status to the status a PENDING
// record of ours moves to; ok is false for a status we do not know. Only
// approved approves. Refunded and charged back mean the money went back:
// a payment we never saw approved is cancelled by them, never approved. A
// dispute (in_mediation) settles nothing.
func statusFromProvider(mp string) (s Status, ok bool) {
	switch mp {
	case mpPending, mpInProcess, mpAuthorized, mpInMediation:
		return StatusPending, true
	case mpApproved:
		return StatusApproved, true
	case mpRejected:
		return StatusRejected, true
	case mpCancelled, mpRefunded, mpChargedBack:
		return StatusCancelled, true
	default:
		return "", false
	}
}

// isReversal reports whether mp is all of the money going back, or
// disputed, after an approval (a partial refund is isPartialRefund): on
// an APPROVED payment it is recorded (Payment.Reversal), and the payment
// stays APPROVED: the order was paid and cooked, and the money is a matter
// for the back office.
func isReversal(mp string) bool {
	return mp == mpInMediation || mp == mpRefunded || mp == mpChargedBack
}

// isPartialRefund reports whether mp is an approved payment with part of
// its money given back.
func isPartialRefund(mp ProviderPayment) bool {
	return mp.Status == mpApproved && mp.StatusDetail == mpPartiallyRefunded
}
