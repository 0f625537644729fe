package payment

import (
	"encoding/hex"
	"errors"
	"testing"
	"time"
)

// The v1 values below were computed outside Go, e.g.
//
//	printf '%s' 'id:123;request-id:abc;ts:1700000000;' | openssl dgst -sha256 -hmac secret
func TestVerifySignature(t *testing.T) {
	t.Parallel()
	const (
		full       = "b322251005843689e32e3f032ab420e11cceb10368a62518f497c23a10860569" // id:123;request-id:abc;ts:1700000000;
		alnum      = "61f24d21f2a3be9a833d60f65af96b42c85f57d49389c019ecbe6c2fa9c256b7" // id:abc123def;request-id:0e4b2f1a-7c1d-4d0b-9a8e-5f6d7c8b9a01;ts:1700000000123;
		noID       = "71c5dc59c092e1a133164e23a03a992d46ee189e12b7878895bad9c73726acd6" // request-id:abc;ts:1700000000;
		noRequest  = "ad806213866cebf144cee08636e99066931511365463f2ddfd930ae33733b01c" // id:123;ts:1700000000;
		otherKey   = "08e7f88da41d75ec8332c00352cde4278853f16133ce9e9cefea967163a58731" // full manifest, key other-secret
		requestID2 = "0e4b2f1a-7c1d-4d0b-9a8e-5f6d7c8b9a01"
	)
	tests := []struct {
		name, dataID, requestID, header string
		ok                              bool
	}{
		{"documented manifest", "123", "abc", "ts=1700000000,v1=" + full, true},
		{"parts in any order, spaces", "123", "abc", " v1=" + full + " , ts=1700000000 ", true},
		{"upper-case hex", "123", "abc", "ts=1700000000,v1=B322251005843689E32E3F032AB420E11CCEB10368A62518F497C23A10860569", true},
		{"alphanumeric id lower-cased, ts in ms", "ABC123DEF", requestID2, "ts=1700000000123,v1=" + alnum, true},
		{"missing data.id drops its part", "", "abc", "ts=1700000000,v1=" + noID, true},
		{"missing request id drops its part", "123", "", "ts=1700000000,v1=" + noRequest, true},
		{"unknown parts ignored", "123", "abc", "ts=1700000000,v2=zz,v1=" + full, true},
		{"wrong secret", "123", "abc", "ts=1700000000,v1=" + otherKey, false},
		{"other data.id", "124", "abc", "ts=1700000000,v1=" + full, false},
		{"other request id", "123", "abd", "ts=1700000000,v1=" + full, false},
		{"other ts", "123", "abc", "ts=1700000001,v1=" + full, false},
		{"truncated signature", "123", "abc", "ts=1700000000,v1=" + full[:62], false},
		{"not hex", "123", "abc", "ts=1700000000,v1=xyz", false},
		{"no ts", "123", "abc", "v1=" + full, false},
		{"no v1", "123", "abc", "ts=1700000000", false},
		{"empty header", "123", "abc", "", false},
		{"garbage", "123", "abc", "garbage", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := verifySignature([]string{"secret"}, tt.dataID, tt.requestID, tt.header)
			if tt.ok && err != nil {
				t.Fatalf("verifySignature = %v; want ok", err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("verifySignature = %v; want ErrInvalidSignature", err)
			}
		})
	}
}

func TestSignatureManifest(t *testing.T) {
	t.Parallel()
	tests := []struct{ dataID, requestID, ts, want string }{
		{"123", "abc", "1700000000", "id:123;request-id:abc;ts:1700000000;"},
		{"AbC9", "r", "1", "id:abc9;request-id:r;ts:1;"},
		{"AB-C", "r", "1", "id:AB-C;request-id:r;ts:1;"}, // not alphanumeric: kept as is
		{"", "", "1", "ts:1;"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		if got := signatureManifest(tt.dataID, tt.requestID, tt.ts); got != tt.want {
			t.Errorf("signatureManifest(%q, %q, %q) = %q; want %q", tt.dataID, tt.requestID, tt.ts, got, tt.want)
		}
	}
}

// During a rotation both secrets are accepted; an unset previous secret
// accepts nothing, not even a signature made with an empty key.
func TestVerifySignatureWithTwoSecrets(t *testing.T) {
	t.Parallel()
	const ts = "1700000000"
	header := func(secret string) string {
		return "ts=" + ts + ",v1=" + hex.EncodeToString(signManifest(secret, signatureManifest("123", "abc", ts)))
	}
	tests := []struct {
		name    string
		secrets []string
		header  string
		ok      bool
	}{
		{"current secret", []string{"new", "old"}, header("new"), true},
		{"previous secret", []string{"new", "old"}, header("old"), true},
		{"neither", []string{"new", "old"}, header("other"), false},
		{"empty key, no previous secret", []string{"new", ""}, header(""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := verifySignature(tt.secrets, "123", "abc", tt.header)
			if tt.ok && (err != nil || got != ts) {
				t.Fatalf("verifySignature = %q, %v; want %q", got, err, ts)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("verifySignature = %v; want ErrInvalidSignature", err)
			}
		})
	}
}

func TestCheckSignatureTime(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	tests := []struct {
		name, ts  string
		tolerance time.Duration
		ok        bool
	}{
		{"off: anything goes", "not-a-time", 0, true},
		{"seconds, on time", "1700000000", time.Minute, true},
		{"seconds, 59s late", "1699999941", time.Minute, true},
		{"seconds, too old", "1699999000", time.Minute, false},
		{"seconds, from the future", "1700000600", time.Minute, false},
		{"milliseconds, on time", "1700000000123", time.Minute, true},
		{"milliseconds, too old", "1699990000000", time.Minute, false},
		{"not a number", "soon", time.Minute, false},
		{"negative", "-1700000000", time.Minute, false},
		{"overflow", "99999999999999999999", time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkSignatureTime(tt.ts, tt.tolerance, now)
			if tt.ok && err != nil {
				t.Fatalf("checkSignatureTime = %v; want ok", err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("checkSignatureTime = %v; want ErrInvalidSignature", err)
			}
		})
	}
}
