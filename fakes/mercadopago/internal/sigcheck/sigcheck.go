// Package sigcheck checks a webhook's x-signature the way Mercado Pago
// tells a receiver to, written apart from the fake's signing code so that
// tests of the fake do not check it against itself.
package sigcheck

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Valid reports whether header (x-signature: "ts=…,v1=…") is the
// HMAC-SHA256, keyed with secret, of the manifest
// "id:<data.id>;request-id:<x-request-id>;ts:<ts>;", with data.id in lower
// case and a missing value dropping its whole part.
func Valid(secret, dataID, requestID, header string) bool {
	var ts, v1 string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "ts":
			ts = v
		case "v1":
			v1 = v
		}
	}
	var manifest string
	for _, p := range [][2]string{{"id", strings.ToLower(dataID)}, {"request-id", requestID}, {"ts", ts}} {
		if p[1] != "" {
			manifest += p[0] + ":" + p[1] + ";"
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(manifest))
	return ts != "" && hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1))
}
