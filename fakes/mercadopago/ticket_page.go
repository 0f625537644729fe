package mercadopago

import (
	"html/template"
	"net/http"
	"strconv"
)

// ticketPage stands in for the page ticket_url points to at Mercado Pago:
// the QR image, the copy-and-paste code and the payment's state.
const ticketPage = `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>PIX {{.ID}}</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">
<h1>Pague com PIX</h1>
<p>Pagamento {{.ID}} · R$ {{printf "%.2f" .TransactionAmount}} · {{.Status}}/{{.StatusDetail}}</p>
<img alt="QR code PIX" src="{{.QRImage}}">
<p>Pix copia e cola:</p>
<textarea readonly rows="4" style="width:100%">{{.PointOfInteraction.TransactionData.QRCode}}</textarea>
<p><small>Fake Mercado Pago: pay with <code>fakepay approve {{.ID}}</code>.</small></p>
</body></html>
`

func (f *Fake) handleTicket(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	p, ok := f.Payment(id)
	if !ok {
		http.NotFound(w, r)
		return
	}
	tmpl, err := template.New("ticket").Parse(ticketPage)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	view := struct {
		Payment
		QRImage template.URL // a data: URL, which html/template would otherwise refuse
	}{p, template.URL("data:image/png;base64," + p.PointOfInteraction.TransactionData.QRCodeBase64)}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tmpl.Execute(w, view); err != nil {
		f.log.Warn("ticket page not written", "payment_id", id, "error", err)
	}
}
