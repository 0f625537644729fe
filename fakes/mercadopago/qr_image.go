package mercadopago

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"sync"
)

const (
	qrModules    = 25 // a version 2 QR code is 25x25 modules
	qrQuietZone  = 4
	qrModulePix  = 2
	qrFinderSize = 7
)

// qrPainter draws the QR images of new payments, reusing its PNG encoder's
// buffers: a fresh zlib writer per image would allocate about a megabyte.
type qrPainter struct {
	enc png.Encoder
}

func newQRPainter() *qrPainter {
	return &qrPainter{enc: png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderBuffers{}}}
}

// encoderBuffers is a png.EncoderBufferPool over a sync.Pool.
type encoderBuffers struct{ pool sync.Pool }

func (e *encoderBuffers) Get() *png.EncoderBuffer {
	b, _ := e.pool.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderBuffers) Put(b *png.EncoderBuffer) { e.pool.Put(b) }

// base64 returns a base64 PNG that looks like a QR code for code: finder
// patterns in three corners and modules drawn from a hash of the code. It
// is not scannable; nothing in the system reads it back, and a real
// encoder is not worth a dependency.
func (q *qrPainter) base64(code string) string {
	side := (qrModules + 2*qrQuietZone) * qrModulePix
	// Two colours: the PNG is written one bit per pixel, a fraction of the
	// bytes to compress of a grey image; the fake makes one per payment.
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	bits := moduleBits(code)
	for y := range qrModules {
		for x := range qrModules {
			if qrModuleDark(x, y, bits) {
				paintModule(img, x, y)
			}
		}
	}
	var buf bytes.Buffer
	// Encoding an in-memory image to a bytes.Buffer cannot fail.
	_ = q.enc.Encode(&buf, img)
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// moduleBits stretches a hash of code to one bit per module.
func moduleBits(code string) []byte {
	var bits []byte
	for i := byte(0); len(bits)*8 < qrModules*qrModules; i++ {
		sum := sha256.Sum256(append([]byte(code), i))
		bits = append(bits, sum[:]...)
	}
	return bits
}

func qrModuleDark(x, y int, bits []byte) bool {
	for _, corner := range [][2]int{{0, 0}, {qrModules - qrFinderSize, 0}, {0, qrModules - qrFinderSize}} {
		dx, dy := x-corner[0], y-corner[1]
		if dx >= -1 && dx <= qrFinderSize && dy >= -1 && dy <= qrFinderSize {
			return finderDark(dx, dy)
		}
	}
	n := y*qrModules + x
	return bits[n/8]>>(n%8)&1 == 1
}

// finderDark draws the 7x7 ring-and-square finder with its white border.
func finderDark(dx, dy int) bool {
	if dx < 0 || dy < 0 || dx == qrFinderSize || dy == qrFinderSize {
		return false
	}
	ring := min(dx, dy, qrFinderSize-1-dx, qrFinderSize-1-dy)
	return ring != 1
}

func paintModule(img *image.Paletted, x, y int) {
	x0, y0 := (x+qrQuietZone)*qrModulePix, (y+qrQuietZone)*qrModulePix
	for py := y0; py < y0+qrModulePix; py++ {
		for px := x0; px < x0+qrModulePix; px++ {
			img.SetColorIndex(px, py, 1)
		}
	}
}
