package mercadopago

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Webhook actions.
const (
	actionCreated = "payment.created"
	actionUpdated = "payment.updated"
)

// firstNotificationID is where notification ids start; Mercado Pago's are
// eleven-digit integers.
const firstNotificationID int64 = 12000000001

// notification is one webhook, built once and sent as many times as
// delivery or a resend needs, always with the same body.
type notification struct {
	id        int64
	paymentID int64
	action    string
	url       string
	body      []byte
}

// webhookBody is the JSON Mercado Pago posts to notification_url.
type webhookBody struct {
	ID          int64       `json:"id"`
	LiveMode    bool        `json:"live_mode"`
	Type        string      `json:"type"`
	DateCreated Timestamp   `json:"date_created"`
	UserID      int64       `json:"user_id"`
	APIVersion  string      `json:"api_version"`
	Action      string      `json:"action"`
	Data        webhookData `json:"data"`
}

type webhookData struct {
	ID string `json:"id"`
}

// newNotification builds the webhook for p; the target is notification_url
// with data.id and type added to its query.
func newNotification(id int64, p Payment, action string, now time.Time) (notification, error) {
	target, err := url.Parse(p.NotificationURL)
	if err != nil {
		return notification{}, fmt.Errorf("parse notification_url of payment %d: %w", p.ID, err)
	}
	dataID := strconv.FormatInt(p.ID, 10)
	q := target.Query()
	q.Set("data.id", dataID)
	q.Set("type", "payment")
	target.RawQuery = q.Encode()
	body, err := json.Marshal(webhookBody{
		ID:          id,
		Type:        "payment",
		DateCreated: newTimestamp(now),
		UserID:      collectorID,
		APIVersion:  "v1",
		Action:      action,
		Data:        webhookData{ID: dataID},
	})
	if err != nil {
		return notification{}, fmt.Errorf("encode notification for payment %d: %w", p.ID, err)
	}
	return notification{id: id, paymentID: p.ID, action: action, url: target.String(), body: body}, nil
}
