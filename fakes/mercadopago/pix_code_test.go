package mercadopago

import (
	"fmt"
	"strings"
	"testing"
)

func TestPixCode(t *testing.T) {
	t.Parallel()
	// The checksum of the Banco Central's own example BR Code.
	const example = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304"
	if got := crc16CCITT([]byte(example)); got != 0x1D3D {
		t.Errorf("crc16 = %04X, want 1D3D", got)
	}
	code := pixCode(1000000001, 25.9)
	payload, sum := code[:len(code)-4], code[len(code)-4:]
	if want := crc16CCITT([]byte(payload)); sum != fmt.Sprintf("%04X", want) {
		t.Errorf("code %q ends in %s, want %s", code, sum, fmt.Sprintf("%04X", want))
	}
	for _, part := range []string{"5405" + "25.90", "5303986", "mpqrinter1000000001"} {
		if !strings.Contains(code, part) {
			t.Errorf("code %q lacks %q", code, part)
		}
	}
}
