package payment

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/comanda/comanda/services/platform/web"
)

// webhookTimeout bounds the work on one notification, well inside the 22 s
// Mercado Pago waits for an answer.
const webhookTimeout = 15 * time.Second

// webhookMaxBody bounds a notification's body: Mercado Pago's are a few
// hundred bytes, and nothing in them is acted upon.
const webhookMaxBody = 64 << 10

// notificationBody is what we read of a webhook's body, leniently and for
// the log only: the body is not signed, so nothing in it is acted upon
// except, when the query has none, its type.
type notificationBody struct {
	ID     json.Number `json:"id"`
	Type   string      `json:"type"`
	Action string      `json:"action"`
}

// webhook takes POST /payment/webhook?data.id=<id>&type=payment, or the
// older IPN shape ?id=<id>&topic=payment. The signature is checked first
// (it covers data.id, which an IPN notification does not have); a delivery already answered 200 within the
// dedupe window is acknowledged again without being processed; other
// topics are acknowledged and ignored; a payment notification is answered
// 200 once our record and the order service agree with Mercado Pago, and
// 500 otherwise so that it retries.
func (api *httpAPI) webhook(w http.ResponseWriter, r *http.Request) error {
	dataID, requestID, signature := r.URL.Query().Get("data.id"), r.Header.Get("x-request-id"), r.Header.Get("x-signature")
	if err := api.checkSignature(dataID, requestID, signature); err != nil {
		api.log.WarnContext(r.Context(), "webhook rejected", "reason", err, "data_id", dataID)
		return err
	}
	replay := newReplayKey(requestID, signature)
	if api.hooks.replays.seen(replay) {
		api.log.InfoContext(r.Context(), "webhook replay acknowledged, not processed", "data_id", dataID, "mp_request_id", requestID)
		web.Respond(w, http.StatusOK, map[string]string{"status": "duplicate"})
		return nil
	}
	if err := api.processNotification(r, firstNonEmpty(dataID, r.URL.Query().Get("id"))); err != nil {
		return err
	}
	api.hooks.replays.remember(replay)
	web.Respond(w, http.StatusOK, map[string]string{"status": "accepted"})
	return nil
}

// checkSignature verifies x-signature with the current or the previous
// secret, then its ts when a tolerance is set.
func (api *httpAPI) checkSignature(dataID, requestID, signature string) error {
	ts, err := verifySignature([]string{api.webhookSecret, api.hooks.previousSecret}, dataID, requestID, signature)
	if err != nil {
		return err
	}
	return checkSignatureTime(ts, api.hooks.tolerance, api.hooks.clock())
}

// processNotification acts on a signed notification about the resource
// dataID: nil means "answer 200". Acting means reading the payment back
// from Mercado Pago, so an id the signature does not cover can at most
// make us look at a payment of ours again.
func (api *httpAPI) processNotification(r *http.Request, dataID string) error {
	body, err := readNotification(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	topic := firstNonEmpty(q.Get("type"), q.Get("topic"), body.Type)
	log := api.log.With("data_id", dataID, "topic", topic, "action", body.Action, "notification_id", body.ID.String())
	providerID, err := strconv.ParseInt(dataID, 10, 64)
	switch {
	case topic != "payment":
		log.InfoContext(r.Context(), "webhook topic ignored")
	case err != nil || providerID <= 0:
		log.WarnContext(r.Context(), "payment webhook without a numeric data.id; ignored")
	default:
		ctx, cancel := context.WithTimeout(r.Context(), webhookTimeout)
		defer cancel()
		return api.payments.HandleNotification(ctx, providerID)
	}
	return nil
}

// readNotification reads the body, at most webhookMaxBody, and decodes what
// it can: a malformed or cut-short body is no error, a larger one is 413.
func readNotification(r *http.Request) (notificationBody, error) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, webhookMaxBody+1))
	if len(raw) > webhookMaxBody {
		return notificationBody{}, web.NewError(http.StatusRequestEntityTooLarge, "request_too_large",
			"a notification body is at most %d bytes", webhookMaxBody)
	}
	var body notificationBody
	_ = json.Unmarshal(raw, &body)
	return body, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
