package mercadopago

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxBodyBytes bounds a creation request; real ones are a few hundred bytes.
const maxBodyBytes = 1 << 20

// authorized lets a request through only with the configured bearer token.
func (f *Fake) authorized(next http.HandlerFunc) http.Handler {
	want := []byte("Bearer " + f.accessToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			writeAPIError(w, unauthorized())
			return
		}
		next(w, r)
	})
}

func (f *Fake) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	key, fp, ok := readKeyedJSON(w, r, false, &req)
	if !ok {
		return
	}
	now := f.now()
	// The key first, as Mercado Pago does: a retry of a creation that
	// succeeded gets its payment even if the request would no longer pass
	// validation (its date_of_expiration has passed meanwhile).
	if p, found, err := f.store.replay(key, fp, now); found || err != nil {
		f.answerReplay(w, key, p, err)
		return
	}
	if e := req.validate(now); e != nil {
		writeAPIError(w, *e)
		return
	}
	f.expireDue()
	base := requestBaseURL(r)
	p, created, err := f.store.create(key, fp, now, func(id int64) Payment { return req.build(id, now, base, f.qr) })
	if !created {
		f.answerReplay(w, key, p, err)
		return
	}
	f.writePayment(w, http.StatusCreated, p)
}

// answerReplay answers a creation whose key was seen: the payment it made,
// or 409 if it came with another body.
func (f *Fake) answerReplay(w http.ResponseWriter, key string, p Payment, err error) {
	if errors.Is(err, errIdempotencyConflict) {
		writeAPIError(w, idempotencyConflict())
		return
	}
	f.log.Info("idempotent replay", "payment_id", p.ID, "idempotency_key", key)
	f.writePayment(w, http.StatusCreated, p)
}

func (f *Fake) handleGet(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeAPIError(w, badRequest(2030, "Invalid payment_id"))
		return
	}
	p, ok := f.Payment(id)
	if !ok {
		writeAPIError(w, paymentNotFound())
		return
	}
	f.writePayment(w, http.StatusOK, p)
}

// searchResult is the body of GET /v1/payments/search.
type searchResult struct {
	Paging  paging    `json:"paging"`
	Results []Payment `json:"results"`
}

type paging struct {
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func (f *Fake) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, errL := queryInt(q.Get("limit"), 30)
	offset, errO := queryInt(q.Get("offset"), 0)
	if errL != nil || errO != nil || limit < 0 || offset < 0 {
		writeAPIError(w, badRequest(4000, "limit and offset must be non-negative integers"))
		return
	}
	ref, status := q.Get("external_reference"), q.Get("status")
	found := f.paymentsWhere(func(p *Payment) bool {
		return (ref == "" || p.ExternalReference == ref) && (status == "" || p.Status == status)
	})
	if strings.EqualFold(q.Get("criteria"), "desc") {
		slices.Reverse(found)
	}
	page := found[min(offset, len(found)):]
	page = page[:min(limit, len(page))]
	f.writeSearch(w, searchResult{
		Paging:  paging{Total: len(found), Limit: limit, Offset: offset},
		Results: page,
	})
}

func queryInt(raw string, fallback int) (int, error) {
	if raw == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// requestBaseURL is the fake's own address as the client reached it, so
// ticket_url works from wherever the payment was created.
func requestBaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// readKeyedJSON reads a write's X-Idempotency-Key (required) and its JSON
// body into v (with emptyIsObject, no body reads as {}), and returns the
// body's fingerprint; it answers the error itself and reports false when
// either is missing or malformed.
func readKeyedJSON(w http.ResponseWriter, r *http.Request, emptyIsObject bool, v any) (key, fp string, ok bool) {
	key = r.Header.Get("X-Idempotency-Key")
	if key == "" {
		writeAPIError(w, badRequest(4292, "Header X-Idempotency-Key can't be null"))
		return "", "", false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeAPIError(w, badRequest(4000, "could not read the request body"))
		return "", "", false
	}
	if emptyIsObject && len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	fp, err = fingerprint(body)
	if err != nil || json.Unmarshal(body, v) != nil {
		writeAPIError(w, badRequest(4000, "malformed JSON body"))
		return "", "", false
	}
	return key, fp, true
}
