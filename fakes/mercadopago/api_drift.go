package mercadopago

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// Payload drift: with drift on, the Payments API's answers (creation, read,
// search, cancellation) take the liberties Mercado Pago's own responses
// take, so that a client's decoding meets them in tests: personal data
// masked or null, fields the fake has no use for (known to the SDK or not)
// at every level, null where the fake writes an empty string or object, and
// ids given as strings of digits. Only shapes the official SDK's types
// decode are used; docs/mercadopago.md lists them, with those it cannot
// decode. The drift is a rewrite of the encoded payment, so the fake's
// state and the control API's views are untouched. It is deterministic:
// what varies, varies with the payment id's parity, so that two
// consecutive payments show both forms.

// masked is how Mercado Pago masks a piece of personal data it will not show.
const masked = "***"

// guestPayerID is the payer's Mercado Pago user id, a string of digits as
// the API gives it; the fake's payers are all the same guest.
const guestPayerID = "3001234567"

// pixIssuerID is the issuer id Mercado Pago gives PIX payments, a string.
const pixIssuerID = "12501"

// object is a JSON object being rewritten.
type object = map[string]any

// writePayment answers one payment, drifted if drift is on.
func (f *Fake) writePayment(w http.ResponseWriter, status int, p Payment) {
	if !f.Drift() {
		writeJSON(w, status, p)
		return
	}
	f.writeDrifted(w, status, func() (object, error) { return driftedPayment(p) })
}

// writeSearch answers a search page, every result drifted if drift is on.
func (f *Fake) writeSearch(w http.ResponseWriter, page searchResult) {
	if !f.Drift() {
		writeJSON(w, http.StatusOK, page)
		return
	}
	f.writeDrifted(w, http.StatusOK, func() (object, error) { return driftedSearch(page) })
}

// writeDrifted answers what drift builds, or a 500 if it cannot: the one
// place a drift failure becomes an answer.
func (f *Fake) writeDrifted(w http.ResponseWriter, status int, drift func() (object, error)) {
	body, err := drift()
	if err != nil {
		f.log.Error("payload drift failed", "error", err)
		writeAPIError(w, serverError(http.StatusInternalServerError))
		return
	}
	writeJSON(w, status, body)
}

// driftedSearch is a search page with every result drifted.
func driftedSearch(page searchResult) (object, error) {
	results := make([]object, 0, len(page.Results))
	for _, p := range page.Results {
		body, err := driftedPayment(p)
		if err != nil {
			return nil, err
		}
		results = append(results, body)
	}
	return object{"paging": page.Paging, "results": results}, nil
}

// driftedPayment encodes p as the fake writes it, then rewrites it. Numbers
// are kept as written (json.Number), so no amount changes in the round trip.
func driftedPayment(p Payment) (object, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode payment %d: %w", p.ID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body object
	if err := dec.Decode(&body); err != nil {
		return nil, fmt.Errorf("decode payment %d: %w", p.ID, err)
	}
	driftPayment(body, p.ID%2 == 1)
	return body, nil
}

// driftPayment rewrites one encoded payment. Payments with an even id look
// like the PIX responses Mercado Pago gives: the payer's personal data
// null, card, order and metadata empty objects. Payments with an odd id
// take the other forms: personal data masked as "***", card and order
// null, an empty metadata null.
func driftPayment(body object, odd bool) {
	addMissing(body, paymentExtras(body))
	nullIfEmpty(body, "description", "external_reference", "notification_url")
	body["payer"] = driftedPayer(child(body, "payer"), odd)
	poi := child(body, "point_of_interaction")
	addMissing(poi, pointOfInteractionExtras())
	addMissing(child(poi, "transaction_data"), transactionDataExtras())
	addMissing(child(body, "transaction_details"), transactionDetailsExtras())
	if odd {
		body["card"], body["order"] = nil, nil
		if m, ok := body["metadata"].(object); ok && len(m) == 0 {
			body["metadata"] = nil
		}
	}
}

// driftedPayer is the payer as Mercado Pago shows it to the collector: its
// user id as a string, the personal data it was created with withheld
// (null, or "***" when odd), fields the fake does not keep as null.
func driftedPayer(sent object, odd bool) object {
	var personal, docType any // null, as in the PIX responses seen
	if odd {
		personal = masked
		if t, ok := child(sent, "identification")["type"].(string); ok {
			docType = t
		}
	}
	return object{
		"id":             guestPayerID,
		"email":          personal,
		"first_name":     personal,
		"last_name":      personal,
		"identification": object{"type": docType, "number": personal},
		"entity_type":    nil,
		"operator_id":    nil,
		"type":           nil,
		"phone":          object{"area_code": nil, "extension": nil, "number": nil},
	}
}

// child returns body's object called key, or an empty one, which the
// caller may fill but which is then not part of body.
func child(body object, key string) object {
	if c, ok := body[key].(object); ok {
		return c
	}
	return object{}
}

// addMissing sets every field of extras that body lacks.
func addMissing(body, extras object) {
	for k, v := range extras {
		if _, ok := body[k]; !ok {
			body[k] = v
		}
	}
}

// nullIfEmpty turns the empty strings of keys into null, as Mercado Pago
// writes a field the request did not set.
func nullIfEmpty(body object, keys ...string) {
	for _, k := range keys {
		if body[k] == "" {
			body[k] = nil
		}
	}
}
