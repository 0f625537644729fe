package mercadopago

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// signature is the v1 part of x-signature: the lower-case hex HMAC-SHA256,
// keyed with the webhook secret, of the manifest
// "id:<data.id>;request-id:<x-request-id>;ts:<ts>;".
func signature(secret, dataID, requestID, ts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("id:" + dataID + ";request-id:" + requestID + ";ts:" + ts + ";"))
	return hex.EncodeToString(mac.Sum(nil))
}

// signatureHeader is the whole x-signature header value.
func signatureHeader(secret, dataID, requestID, ts string) string {
	return "ts=" + ts + ",v1=" + signature(secret, dataID, requestID, ts)
}
