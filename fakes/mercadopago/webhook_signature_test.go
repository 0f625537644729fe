package mercadopago

import "testing"

// knownVector was computed once, apart from this code, with
//
//	printf 'id:123;request-id:r;ts:1700000000;' | openssl dgst -sha256 -hmac s
const knownVector = "ffc2a2fa51d335ea27e832b773e966c388e0d75bbc35dfae117d218cae5973ba"

func TestSignatureKnownVector(t *testing.T) {
	t.Parallel()
	if got := signature("s", "123", "r", "1700000000"); got != knownVector {
		t.Errorf("signature = %s, want %s", got, knownVector)
	}
	if got, want := signatureHeader("s", "123", "r", "1700000000"), "ts=1700000000,v1="+knownVector; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
}
