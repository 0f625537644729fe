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

// statusFromProvider maps a Mercado Pago status to ours; ok is false for a
// status we do not know. refunded, charged_back and in_mediation only happen
// after an approval: the order was paid, so the payment stays APPROVED (the
// money coming back is a matter for the back office, not for the order flow).
func statusFromProvider(mp string) (s Status, ok bool) {
	switch mp {
	case mpPending, mpInProcess, mpAuthorized:
		return StatusPending, true
	case mpApproved, mpInMediation, mpRefunded, mpChargedBack:
		return StatusApproved, true
	case mpRejected:
		return StatusRejected, true
	case mpCancelled:
		return StatusCancelled, true
	default:
		return "", false
	}
}

// afterApproval reports whether mp is a status a payment only reaches once
// approved, which we keep as APPROVED and log.
func afterApproval(mp string) bool {
	return mp == mpInMediation || mp == mpRefunded || mp == mpChargedBack
}
