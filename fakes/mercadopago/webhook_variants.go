package mercadopago

import (
	"fmt"
	"slices"
	"strings"
)

// Variant is one of the shapes Mercado Pago gives some of its
// notifications. Each is valid: a receiver that follows Mercado Pago's
// rules accepts it.
type Variant string

// The notification variants.
const (
	// VariantReplay sends every attempt of a notification with the first
	// attempt's x-request-id, ts and signature: a byte-for-byte replay.
	VariantReplay Variant = "same_request_id"
	// VariantMillis gives the signature's ts in milliseconds, not seconds.
	VariantMillis Variant = "ts_millis"
	// VariantNoRequestID sends no x-request-id; the signed manifest drops
	// its request-id part.
	VariantNoRequestID Variant = "no_request_id"
	// VariantUpperCaseID writes data.id in upper case; the manifest signs
	// it in lower case. Payment ids are digits, which have no case, so it
	// only changes the bytes of an alphanumeric id.
	VariantUpperCaseID Variant = "upper_case_id"
	// VariantTopic sends the older IPN shape: ?id=<id>&topic=payment and a
	// body with resource and topic; no data.id, so the manifest drops its
	// id part.
	VariantTopic Variant = "topic"
	// VariantMerchantOrder also sends, after each payment notification, an
	// IPN-shaped notification of the payment's merchant order
	// (?id=<merchant order id>&topic=merchant_order).
	VariantMerchantOrder Variant = "merchant_order"
)

// Variants lists every variant, in the order the docs give them.
func Variants() []Variant {
	return []Variant{VariantReplay, VariantMillis, VariantNoRequestID, VariantUpperCaseID, VariantTopic, VariantMerchantOrder}
}

// ParseVariants reads a comma-separated list such as "ts_millis,topic";
// "" and "none" are no variant.
func ParseVariants(s string) ([]Variant, error) {
	if s = strings.TrimSpace(s); s == "" || s == "none" {
		return []Variant{}, nil
	}
	var out []Variant
	for part := range strings.SplitSeq(s, ",") {
		out = append(out, Variant(strings.TrimSpace(part)))
	}
	return out, checkVariants(out)
}

func checkVariants(vs []Variant) error {
	for _, v := range vs {
		if !slices.Contains(Variants(), v) {
			return fmt.Errorf("%w: unknown notification variant %q (known: %s)", ErrInvalidSetting, v, variantNames())
		}
	}
	return nil
}

func variantNames() string {
	names := make([]string, 0, len(Variants()))
	for _, v := range Variants() {
		names = append(names, string(v))
	}
	return strings.Join(names, ", ")
}

// variantSet is the variants one notification is shaped by.
type variantSet []Variant

func (s variantSet) has(v Variant) bool { return slices.Contains(s, v) }
