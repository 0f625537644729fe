package mercadopago

import "testing"

// signatureVectors were computed once, apart from this code, with
//
//	printf '%s' '<manifest>' | openssl dgst -sha256 -hmac '<secret>'
var signatureVectors = []struct {
	secret, dataID, requestID, ts, want string
}{
	{"s", "123", "r", "1700000000",
		"ffc2a2fa51d335ea27e832b773e966c388e0d75bbc35dfae117d218cae5973ba"},
	{"test-webhook-secret", "1000000001", "0b3f5a9e-2c4d-4e6f-8a1b-9c0d1e2f3a4b", "1742505638",
		"5f15a238d92bf2d88cbf578d20fa955b352ddc304b034b98181eadd9bda2a9b8"},
	{"sandbox-webhook-secret", "1000000042", "bb56a2f1-6aae-46ac-982e-9dcd3581d08e", "1742505638683", // ts in ms
		"6761b1f6bf0261469718a4a30cc8a5f26b4a53c9ed2273dcec1cc25e141a5ad0"},
}

func TestSignatureKnownVectors(t *testing.T) {
	t.Parallel()
	for _, v := range signatureVectors {
		if got := signature(v.secret, v.dataID, v.requestID, v.ts); got != v.want {
			t.Errorf("signature(%q, %q, %q, %q) = %s, want %s", v.secret, v.dataID, v.requestID, v.ts, got, v.want)
		}
		if got, want := signatureHeader(v.secret, v.dataID, v.requestID, v.ts), "ts="+v.ts+",v1="+v.want; got != want {
			t.Errorf("header = %s, want %s", got, want)
		}
	}
}
