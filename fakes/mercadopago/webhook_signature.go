package mercadopago

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// signature is the v1 part of x-signature: the lower-case hex HMAC-SHA256,
// keyed with the webhook secret, of the manifest
// "id:<data.id>;request-id:<x-request-id>;ts:<ts>;", where a value the
// notification lacks drops its whole "key:value;" part, as Mercado Pago
// documents.
func signature(secret, dataID, requestID, ts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(manifest(dataID, requestID, ts)))
	return hex.EncodeToString(mac.Sum(nil))
}

func manifest(dataID, requestID, ts string) string {
	var m string
	for _, part := range [][2]string{{"id", dataID}, {"request-id", requestID}, {"ts", ts}} {
		if part[1] != "" {
			m += part[0] + ":" + part[1] + ";"
		}
	}
	return m
}

// signatureHeader is the whole x-signature header value.
func signatureHeader(secret, dataID, requestID, ts string) string {
	return "ts=" + ts + ",v1=" + signature(secret, dataID, requestID, ts)
}
