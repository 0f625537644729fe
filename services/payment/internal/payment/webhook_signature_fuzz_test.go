package payment

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// FuzzWebhookSignature: whatever x-signature, data.id and x-request-id hold,
// checking them never panics; a signature is accepted only when its v1 is
// the HMAC of the manifest of the ts it carries; a header that Mercado Pago
// would build from those values is accepted; and reading ts as a time never
// panics either.
func FuzzWebhookSignature(f *testing.F) {
	const secret = "fuzz-webhook-secret"
	f.Add("ts=1700000000,v1=b322251005843689e32e3f032ab420e11cceb10368a62518f497c23a10860569", "123", "abc")
	f.Add(" v1=00 , ts=1700000000123 ,v2=zz", "ABC123def", "0e4b2f1a-7c1d-4d0b-9a8e-5f6d7c8b9a01")
	f.Add("ts=,v1=", "", "")
	f.Add("ts=1=2,v1=zz,ts=3", "id;with:separators", "request-id:x;ts:1;")
	f.Add(",,,=,", "1", "2")
	f.Fuzz(func(t *testing.T, header, dataID, requestID string) {
		if ts, err := verifySignature([]string{secret}, dataID, requestID, header); err == nil {
			_, v1, _ := parseSignatureHeader(header)
			got, _ := hex.DecodeString(v1)
			if want := signManifest(secret, signatureManifest(dataID, requestID, ts)); string(got) != string(want) {
				t.Fatalf("accepted %q for data.id %q, request id %q without its HMAC", header, dataID, requestID)
			}
		}
		_ = checkSignatureTime(header, time.Minute, time.Now())

		// What Mercado Pago would send, built from a clean ts, is accepted.
		ts, _, _ := strings.Cut(header, ",")
		if ts = strings.TrimSpace(ts); ts == "" || strings.ContainsAny(ts, ",=") {
			return
		}
		genuine := "ts=" + ts + ",v1=" + hex.EncodeToString(signManifest(secret, signatureManifest(dataID, requestID, ts)))
		if _, err := verifySignature([]string{secret}, dataID, requestID, genuine); err != nil {
			t.Fatalf("refused a genuine signature %q for data.id %q, request id %q: %v", genuine, dataID, requestID, err)
		}
	})
}
