package payment

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/money"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// httpAPI serves the payment routes.
type httpAPI struct {
	store         *store
	payments      *Payments
	webhookSecret string
	hooks         webhookGuard // zero: the current secret only, no ts check, no dedupe
	log           *slog.Logger
}

// newRouter builds the service's HTTP handler: the webhook is public and
// signature-checked, the reads need a token.
func newRouter(api *httpAPI, verifier *token.Verifier, checks ...web.ReadyCheck) http.Handler {
	r := web.NewRouter(api.log, checks...)
	r.Post("/payment/webhook", api.handle(api.webhook))
	r.Group(func(r chi.Router) {
		r.Use(token.Require(verifier, api.log))
		r.Get("/payment", api.handle(api.byOrder))
		r.Get("/payment/{id}", api.handle(api.byID))
	})
	return r
}

func (api *httpAPI) byID(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "payment_not_found")
	if err != nil {
		return err
	}
	p, err := api.store.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return respondVisible(w, r, p)
}

func (api *httpAPI) byOrder(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("order_id") == "" {
		return web.InvalidRequest("query parameter order_id is required")
	}
	orderID, err := web.QueryID(r, "order_id")
	if err != nil {
		return err
	}
	p, err := api.store.FindByOrder(r.Context(), orderID)
	if err != nil {
		return err
	}
	return respondVisible(w, r, p)
}

// respondVisible writes p if the caller may see it: its owner or staff.
// To anyone else it does not exist.
func respondVisible(w http.ResponseWriter, r *http.Request, p Payment) error {
	claims, ok := token.FromContext(r.Context())
	if !ok || (!claims.IsEmployee() && !p.OwnedBy(claims.Subject)) {
		return ErrPaymentNotFound
	}
	web.Respond(w, http.StatusOK, toResponse(p))
	return nil
}

// paymentResponse is a payment on the wire (api/openapi.yaml, Payment).
type paymentResponse struct {
	ID                string      `json:"id"`
	OrderID           string      `json:"order_id"`
	Status            Status      `json:"status"`
	Amount            money.Cents `json:"amount"`
	Provider          string      `json:"provider"`
	ProviderPaymentID int64       `json:"provider_payment_id"`
	QRCode            string      `json:"qr_code"`
	QRCodeBase64      string      `json:"qr_code_base64"`
	TicketURL         string      `json:"ticket_url"`
	ExpiresAt         time.Time   `json:"expires_at"`
	CreatedAt         time.Time   `json:"created_at"`
	UpdatedAt         time.Time   `json:"updated_at"`
}

func toResponse(p Payment) paymentResponse {
	return paymentResponse{
		ID: p.ID, OrderID: p.OrderID, Status: p.Status, Amount: p.Amount,
		Provider: ProviderName, ProviderPaymentID: p.ProviderPaymentID,
		QRCode: p.QRCode, QRCodeBase64: p.QRCodeBase64, TicketURL: p.TicketURL,
		ExpiresAt: p.ExpiresAt.UTC(), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
}
