package mercadopago

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Webhook actions, and the topics of IPN-shaped notifications.
const (
	actionCreated = "payment.created"
	actionUpdated = "payment.updated"

	topicPayment       = "payment"
	topicMerchantOrder = "merchant_order"
)

// firstNotificationID is where notification ids start; Mercado Pago's are
// eleven-digit integers.
const firstNotificationID int64 = 12000000001

// apiBase is where an IPN body says its resource lives.
const apiBase = "https://api.mercadopago.com"

// merchantOrderBase makes a payment's merchant order id from its id: ten
// digits, like Mercado Pago's, and never a payment's.
const merchantOrderBase int64 = 20000000000

// notification is one webhook, built once and sent as many times as
// delivery or a resend needs, always with the same body.
type notification struct {
	id        int64
	paymentID int64
	action    string // the body's action, or the IPN topic
	url       string
	body      []byte
	variants  variantSet
	// replay holds the headers every attempt repeats under VariantReplay.
	replay *replayHeaders
}

// replayHeaders are an attempt's x-request-id and signature ts.
type replayHeaders struct {
	requestID string
	ts        string
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

// ipnBody is the JSON of the older IPN-shaped notifications.
type ipnBody struct {
	Resource string `json:"resource"`
	Topic    string `json:"topic"`
}

// newNotifications builds the webhooks for a change of p, shaped by vs:
// the payment's, and its merchant order's under VariantMerchantOrder. The
// target is notification_url with the notification's query added.
func newNotifications(nextID func() int64, p Payment, action string, now time.Time, vs variantSet) ([]notification, error) {
	target, err := url.Parse(p.NotificationURL)
	if err != nil {
		return nil, fmt.Errorf("parse notification_url of payment %d: %w", p.ID, err)
	}
	var n notification
	if vs.has(VariantTopic) {
		n, err = paymentIPN(*target, nextID(), p, vs)
	} else {
		n, err = paymentWebhook(*target, nextID(), p, action, now, vs)
	}
	if err != nil {
		return nil, fmt.Errorf("encode notification for payment %d: %w", p.ID, err)
	}
	ns := []notification{n}
	if vs.has(VariantMerchantOrder) {
		mo, err := merchantOrderIPN(*target, nextID(), p, vs)
		if err != nil {
			return nil, fmt.Errorf("encode merchant order notification for payment %d: %w", p.ID, err)
		}
		ns = append(ns, mo)
	}
	return ns, nil
}

// paymentWebhook is ?data.id=<id>&type=payment with the webhook body.
func paymentWebhook(target url.URL, id int64, p Payment, action string, now time.Time, vs variantSet) (notification, error) {
	dataID := strconv.FormatInt(p.ID, 10)
	if vs.has(VariantUpperCaseID) {
		dataID = strings.ToUpper(dataID)
	}
	q := target.Query()
	q.Set("data.id", dataID)
	q.Set("type", topicPayment)
	target.RawQuery = q.Encode()
	body, err := json.Marshal(webhookBody{
		ID:          id,
		Type:        topicPayment,
		DateCreated: newTimestamp(now),
		UserID:      collectorID,
		APIVersion:  "v1",
		Action:      action,
		Data:        webhookData{ID: dataID},
	})
	return newNotification(id, p.ID, action, target.String(), body, vs), err
}

// paymentIPN is ?id=<id>&topic=payment with an IPN body.
func paymentIPN(target url.URL, id int64, p Payment, vs variantSet) (notification, error) {
	return ipn(target, id, p.ID, topicPayment, strconv.FormatInt(p.ID, 10), apiBase+"/v1/payments/", vs)
}

// merchantOrderIPN is ?id=<merchant order id>&topic=merchant_order.
func merchantOrderIPN(target url.URL, id int64, p Payment, vs variantSet) (notification, error) {
	return ipn(target, id, p.ID, topicMerchantOrder, strconv.FormatInt(merchantOrderBase+p.ID, 10), apiBase+"/merchant_orders/", vs)
}

func ipn(target url.URL, id, paymentID int64, topic, resourceID, resourceBase string, vs variantSet) (notification, error) {
	q := target.Query()
	q.Set("id", resourceID)
	q.Set("topic", topic)
	target.RawQuery = q.Encode()
	body, err := json.Marshal(ipnBody{Resource: resourceBase + resourceID, Topic: topic})
	return newNotification(id, paymentID, topic, target.String(), body, vs), err
}

func newNotification(id, paymentID int64, action, target string, body []byte, vs variantSet) notification {
	n := notification{id: id, paymentID: paymentID, action: action, url: target, body: body, variants: vs}
	if vs.has(VariantReplay) {
		n.replay = &replayHeaders{requestID: uuid.NewString(), ts: n.ts(time.Now())}
	}
	return n
}

// ts is the signature's ts for an attempt at now, wall clock: receivers
// compare it with their own.
func (n notification) ts(now time.Time) string {
	if n.variants.has(VariantMillis) {
		return strconv.FormatInt(now.UnixMilli(), 10)
	}
	return strconv.FormatInt(now.Unix(), 10)
}

// signedID is the id part of the signed manifest: data.id in lower case
// for a webhook, none (the part is dropped) for an IPN-shaped notification.
func (n notification) signedID() string {
	if n.action == actionCreated || n.action == actionUpdated {
		return strconv.FormatInt(n.paymentID, 10)
	}
	return ""
}

// topic is what the notification is about: payment or merchant_order.
func (n notification) topic() string {
	if n.action == topicMerchantOrder {
		return topicMerchantOrder
	}
	return topicPayment
}
