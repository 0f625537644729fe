package payment

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/comanda/comanda/services/platform/web"
)

// webhookTimeout bounds the work on one notification, well inside the 22 s
// Mercado Pago waits for an answer.
const webhookTimeout = 15 * time.Second

// notificationBody is what we read of a webhook's body, leniently and for
// the log only: the body is not signed, so nothing in it is acted upon
// except, when the query has none, its type.
type notificationBody struct {
	ID     json.Number `json:"id"`
	Type   string      `json:"type"`
	Action string      `json:"action"`
}

// webhook takes POST /payment/webhook?data.id=<id>&type=payment. The
// signature is checked first; other topics are acknowledged and ignored;
// a payment notification is answered 200 once our record and the order
// service agree with Mercado Pago, and 500 otherwise so that it retries.
func (api *httpAPI) webhook(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	dataID := q.Get("data.id")
	if err := verifySignature(api.webhookSecret, dataID, r.Header.Get("x-request-id"), r.Header.Get("x-signature")); err != nil {
		api.log.WarnContext(r.Context(), "webhook rejected", "reason", err, "data_id", dataID)
		return err
	}
	body, err := readNotification(r)
	if err != nil {
		return err
	}
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
		if err := api.payments.HandleNotification(ctx, providerID); err != nil {
			return err
		}
	}
	web.Respond(w, http.StatusOK, map[string]string{"status": "accepted"})
	return nil
}

// readNotification reads the body (at most web.MaxBodyBytes, which the
// router enforces) and decodes what it can; a malformed body is no error.
func readNotification(r *http.Request) (notificationBody, error) {
	raw, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return notificationBody{}, web.NewError(http.StatusRequestEntityTooLarge, "request_too_large",
			"request body is larger than %d bytes", tooLarge.Limit)
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
