package order

import (
	"testing"
	"time"
)

func TestPaymentTrigger(t *testing.T) {
	t.Parallel()
	tests := map[string]Trigger{
		PaymentPending:   TriggerPaymentCreated,
		PaymentApproved:  TriggerPaymentApproved,
		PaymentRejected:  TriggerPaymentFailed,
		PaymentCancelled: TriggerPaymentFailed,
	}
	for status, want := range tests {
		if got, err := PaymentTrigger(status); err != nil || got != want {
			t.Errorf("PaymentTrigger(%s) = %v, %v; want %v", status, got, err, want)
		}
	}
	if _, err := PaymentTrigger("REFUNDED"); err == nil {
		t.Error("PaymentTrigger(REFUNDED) accepted an unknown status")
	}
}

func TestRecordPayment(t *testing.T) {
	t.Parallel()
	exp := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	pending := Payment{ID: "p1", Status: PaymentPending, QRCode: "qr", ExpiresAt: &exp}
	approved := Payment{ID: "p1", Status: PaymentApproved, QRCode: "qr", ExpiresAt: &exp}
	rejected := Payment{ID: "p1", Status: PaymentRejected, QRCode: "qr"}
	newQR := Payment{ID: "p1", Status: PaymentPending, QRCode: "qr2", ExpiresAt: &exp}
	other := Payment{ID: "p2", Status: PaymentApproved}
	tests := []struct {
		name     string
		held     *Payment
		incoming Payment
		kept     bool
		want     string // status held afterwards
	}{
		{"first snapshot", nil, pending, true, PaymentPending},
		{"settled after pending", &pending, approved, true, PaymentApproved},
		{"pending after settled", &approved, pending, false, PaymentApproved},
		{"other settlement after settled", &approved, rejected, false, PaymentApproved},
		{"same snapshot again", &approved, approved, false, PaymentApproved},
		{"pending refreshed", &pending, newQR, true, PaymentPending},
		{"another payment", &pending, other, false, PaymentPending},
		{"first snapshot settled", nil, rejected, true, PaymentRejected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := Order{Payment: tc.held}
			if kept := o.RecordPayment(tc.incoming); kept != tc.kept {
				t.Errorf("RecordPayment kept = %v; want %v", kept, tc.kept)
			}
			if o.Payment.Status != tc.want {
				t.Errorf("payment status = %s; want %s", o.Payment.Status, tc.want)
			}
		})
	}
}
