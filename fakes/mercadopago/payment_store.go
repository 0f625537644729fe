package mercadopago

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"sync"
	"time"
)

// firstPaymentID is where ids start: ten digits, like real payment ids.
const firstPaymentID int64 = 1000000001

// errIdempotencyConflict: the key was already used with another body.
var errIdempotencyConflict = errors.New("idempotency key reused with a different body")

// idempotencyRecord remembers what a key created (a payment, or with
// RefundID one of its refunds), from which body, and
// when (on the fake's clock): a record older than the store's ttl is
// forgotten, and its key may create again.
type idempotencyRecord struct {
	Fingerprint string    `json:"fingerprint"`
	PaymentID   int64     `json:"payment_id"`
	RefundID    int64     `json:"refund_id,omitempty"`
	At          time.Time `json:"at"`
}

// paymentStore holds the payments in memory. One mutex guards everything,
// so a creation and its idempotency record appear together or not at all.
// changed is called, under that mutex, after every creation and change: the
// webhooks it starts are then numbered in the order the changes happened.
// It must not block or call back into the store.
type paymentStore struct {
	changed func(p Payment, action string)
	mu      sync.Mutex
	nextID  int64
	byID    map[int64]*Payment
	ordered []*Payment
	// pending are the payments still pending: the only ones that can
	// expire, looked over before every creation and read.
	pending     map[int64]*Payment
	idempotency map[string]idempotencyRecord
	ttl         time.Duration // how long an idempotency record lives
}

func newPaymentStore(changed func(p Payment, action string), ttl time.Duration) *paymentStore {
	return &paymentStore{
		changed:     changed,
		ttl:         ttl,
		nextID:      firstPaymentID,
		byID:        make(map[int64]*Payment),
		pending:     make(map[int64]*Payment),
		idempotency: make(map[string]idempotencyRecord),
	}
}

// track keeps pending in step with p's status.
func (s *paymentStore) track(p *Payment) {
	if p.Status == StatusPending {
		s.pending[p.ID] = p
	} else {
		delete(s.pending, p.ID)
	}
}

// replay returns the payment key created at most the store's ttl before
// now (found), or errIdempotencyConflict if it was created from another
// body. Mercado Pago looks the key up before it validates the request: a
// creation retried after its date_of_expiration passed gets the payment
// it made, not a 400.
func (s *paymentStore) replay(key, fingerprint string, now time.Time) (p Payment, found bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replayLocked(key, fingerprint, now)
}

func (s *paymentStore) replayLocked(key, fingerprint string, now time.Time) (Payment, bool, error) {
	rec, ok := s.idempotency[key]
	if !ok {
		return Payment{}, false, nil
	}
	if !rec.At.IsZero() && now.Sub(rec.At) >= s.ttl { // a record kept before records had a time: kept
		delete(s.idempotency, key)
		return Payment{}, false, nil
	}
	if rec.Fingerprint != fingerprint {
		return Payment{}, false, errIdempotencyConflict
	}
	return s.byID[rec.PaymentID].clone(), true, nil
}

// create stores the payment build returns, unless key was seen within the
// ttl: then it returns what replay does (created is false).
func (s *paymentStore) create(key, fingerprint string, now time.Time, build func(id int64) Payment) (p Payment, created bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, found, err := s.replayLocked(key, fingerprint, now); found || err != nil {
		return p, false, err
	}
	stored := build(s.nextID)
	s.nextID++
	s.byID[stored.ID] = &stored
	s.ordered = append(s.ordered, &stored)
	s.track(&stored)
	s.idempotency[key] = idempotencyRecord{Fingerprint: fingerprint, PaymentID: stored.ID, At: now}
	s.changed(stored.clone(), actionCreated)
	return stored.clone(), true, nil
}

func (s *paymentStore) get(id int64) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.byID[id]
	if !ok {
		return Payment{}, false
	}
	return p.clone(), true
}

// list returns the payments keep accepts, oldest first.
func (s *paymentStore) list(keep func(*Payment) bool) []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Payment, 0, len(s.ordered))
	for _, p := range s.ordered {
		if keep(p) {
			out = append(out, p.clone())
		}
	}
	return out
}

// update applies change to the payment atomically; nothing is stored if
// change fails.
func (s *paymentStore) update(id int64, change func(*Payment) error) (Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.byID[id]
	if !ok {
		return Payment{}, &notFoundError{id: id}
	}
	next := p.clone()
	if err := change(&next); err != nil {
		return Payment{}, err
	}
	*p = next
	s.track(p)
	s.changed(next.clone(), actionUpdated)
	return next.clone(), nil
}

// expireDue cancels every pending payment whose expiration the clock has
// passed.
// Walking the pending ones only keeps that cheap however many payments a
// long run made; they expire in creation order, as ids go.
func (s *paymentStore) expireDue(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var due []*Payment
	for _, p := range s.pending {
		if now.After(p.DateOfExpiration.Time) {
			due = append(due, p)
		}
	}
	slices.SortFunc(due, func(a, b *Payment) int { return cmp.Compare(a.ID, b.ID) })
	for _, p := range due {
		if err := expireTransition().apply(p, now); err == nil {
			s.track(p)
			s.changed(p.clone(), actionUpdated)
		}
	}
}

// storeState is everything the store holds, as the state file keeps it.
type storeState struct {
	NextID      int64                        `json:"next_payment_id"`
	Payments    []Payment                    `json:"payments"`
	Idempotency map[string]idempotencyRecord `json:"idempotency"`
}

// export returns the store's state. with runs under the store's lock, so
// that whatever it reads (the notifications) matches the payments.
func (s *paymentStore) export(with func()) storeState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := storeState{NextID: s.nextID, Idempotency: maps.Clone(s.idempotency)}
	for _, p := range s.ordered {
		st.Payments = append(st.Payments, p.clone())
	}
	with()
	return st
}

// restore replaces the store's content with st. Ids keep counting from the
// highest ever given, also after a reset, so no id is ever reused.
func (s *paymentStore) restore(st storeState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID = make(map[int64]*Payment, len(st.Payments))
	s.ordered = make([]*Payment, 0, len(st.Payments))
	s.pending = make(map[int64]*Payment)
	for _, p := range st.Payments {
		stored := p.clone()
		s.byID[stored.ID] = &stored
		s.ordered = append(s.ordered, &stored)
		s.track(&stored)
		s.nextID = max(s.nextID, stored.ID+1)
	}
	s.nextID = max(s.nextID, st.NextID)
	s.idempotency = maps.Clone(st.Idempotency)
	if s.idempotency == nil {
		s.idempotency = make(map[string]idempotencyRecord)
	}
}
