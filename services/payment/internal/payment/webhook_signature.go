package payment

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// verifySignature checks Mercado Pago's x-signature header ("ts=<ts>,v1=<hex>")
// against the HMAC-SHA256, keyed with one of secrets, of the manifest built
// from the query's data.id, the x-request-id header and ts, and returns ts.
// Each comparison is constant time. Errors wrap ErrInvalidSignature and never
// contain a secret or a signature.
func verifySignature(secrets []string, dataID, requestID, header string) (string, error) {
	ts, v1, err := parseSignatureHeader(header)
	if err != nil {
		return "", err
	}
	got, err := hex.DecodeString(v1)
	if err != nil {
		return "", fmt.Errorf("%w: v1 is not hex", ErrInvalidSignature)
	}
	manifest := signatureManifest(dataID, requestID, ts)
	for _, secret := range secrets {
		if secret != "" && hmac.Equal(got, signManifest(secret, manifest)) {
			return ts, nil
		}
	}
	return "", fmt.Errorf("%w: signature does not match", ErrInvalidSignature)
}

// parseSignatureHeader returns the ts and v1 parts of x-signature; parts
// are comma separated key=value pairs in any order, unknown keys ignored.
func parseSignatureHeader(header string) (ts, v1 string, err error) {
	for part := range strings.SplitSeq(header, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch strings.TrimSpace(key) {
		case "ts":
			ts = strings.TrimSpace(value)
		case "v1":
			v1 = strings.TrimSpace(value)
		}
	}
	if ts == "" || v1 == "" {
		return "", "", fmt.Errorf("%w: x-signature lacks ts or v1", ErrInvalidSignature)
	}
	return ts, v1, nil
}

// signatureManifest is "id:<data.id>;request-id:<x-request-id>;ts:<ts>;",
// trailing semicolon included, as Mercado Pago documents it: an
// alphanumeric data.id is lower-cased, and a part whose value is missing
// is left out entirely.
func signatureManifest(dataID, requestID, ts string) string {
	if isAlphanumeric(dataID) {
		dataID = strings.ToLower(dataID)
	}
	var b strings.Builder
	for _, p := range [][2]string{{"id", dataID}, {"request-id", requestID}, {"ts", ts}} {
		if p[1] != "" {
			b.WriteString(p[0] + ":" + p[1] + ";")
		}
	}
	return b.String()
}

func signManifest(secret, manifest string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(manifest))
	return mac.Sum(nil)
}

func isAlphanumeric(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// msThreshold tells the units of ts apart: Mercado Pago has sent both
// seconds and milliseconds since the epoch, and 10^11 seconds is the year
// 5138 while 10^11 milliseconds is March 1973.
const msThreshold = 100_000_000_000

// parseSignatureTime reads ts in seconds or milliseconds since the epoch.
func parseSignatureTime(ts string) (time.Time, error) {
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, fmt.Errorf("%w: ts is not a positive integer", ErrInvalidSignature)
	}
	if n >= msThreshold {
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

// checkSignatureTime refuses a signature made further than tolerance from
// now, either way; a tolerance of 0 accepts any time.
func checkSignatureTime(ts string, tolerance time.Duration, now time.Time) error {
	if tolerance <= 0 {
		return nil
	}
	at, err := parseSignatureTime(ts)
	if err != nil {
		return err
	}
	if d := now.Sub(at); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: ts is %s away from now, beyond the %s tolerance", ErrInvalidSignature, d.Round(time.Second), tolerance)
	}
	return nil
}
