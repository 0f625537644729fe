package mercadopago

import (
	"fmt"
	"strings"
)

// pixKey is the fake collector's PIX key (a random-key UUID, as Mercado Pago
// uses for its sellers).
const pixKey = "7d9f0335-8dcc-4054-9bf9-0d9e3a8ab6a1"

// pixCode returns a PIX "copia e cola" code in the BR Code (EMV) format:
// ID-length-value fields, the amount in field 54, the payment in the
// transaction id, and a CRC16 checksum that banking apps verify.
func pixCode(id int64, amount float64) string {
	var b strings.Builder
	b.WriteString(emvField("00", "01"))
	b.WriteString(emvField("01", "12")) // one-time code
	b.WriteString(emvField("26", emvField("00", "br.gov.bcb.pix")+emvField("01", pixKey)))
	b.WriteString(emvField("52", "0000"))
	b.WriteString(emvField("53", "986")) // BRL
	b.WriteString(emvField("54", fmt.Sprintf("%.2f", amount)))
	b.WriteString(emvField("58", "BR"))
	b.WriteString(emvField("59", "COMANDA FAKE"))
	b.WriteString(emvField("60", "SAO PAULO"))
	b.WriteString(emvField("62", emvField("05", fmt.Sprintf("mpqrinter%d", id))))
	b.WriteString("6304")
	payload := b.String()
	return payload + fmt.Sprintf("%04X", crc16CCITT([]byte(payload)))
}

func emvField(id, value string) string {
	return fmt.Sprintf("%s%02d%s", id, len(value), value)
}

// crc16CCITT is CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF),
// the checksum the BR Code specification requires.
func crc16CCITT(data []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range data {
		crc ^= uint16(c) << 8
		for range 8 {
			if crc&0x8000 != 0 {
				crc = crc<<1 ^ 0x1021
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
