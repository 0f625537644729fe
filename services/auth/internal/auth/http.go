package auth

import (
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/web"
)

// jwksMaxAge lets verifiers cache the key set; keys rotate far less often.
const jwksMaxAge = "public, max-age=300"

type httpAPI struct {
	auth     *Auth
	throttle *throttle
	jwks     []byte
	log      *slog.Logger
}

// Routes mounts the auth routes on r under their public paths; limits
// throttle guessing at them.
func Routes(r chi.Router, a *Auth, limits RateLimitConfig, jwks []byte, log *slog.Logger) {
	h := httpAPI{auth: a, throttle: newThrottle(limits), jwks: jwks, log: log}
	r.Post("/auth/customers", web.Handle(log, h.register))
	r.Post("/auth/token", web.Handle(log, h.token))
	r.Get("/auth/.well-known/jwks.json", h.jwksDocument)
}

type registerRequest struct {
	TaxID string `json:"tax_id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type customerResponse struct {
	ID    string `json:"id"`
	TaxID string `json:"tax_id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (h httpAPI) register(w http.ResponseWriter, r *http.Request) error {
	var req registerRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	ip := web.ClientIP(r)
	if err := h.throttle.startCPF(ip); err != nil {
		return refuse(w, err)
	}
	c, err := h.auth.Register(r.Context(), req.TaxID, req.Name, req.Email)
	h.throttle.cpfDone(ip, err)
	if err != nil {
		return refuse(w, err)
	}
	web.Respond(w, http.StatusCreated, customerResponse{ID: c.ID, TaxID: string(c.TaxID), Name: c.Name, Email: c.Email})
	return nil
}

// tokenRequest tells the three logins apart by which fields are present.
type tokenRequest struct {
	TaxID    *string `json:"tax_id"`
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

type tokenResponse struct {
	AccessToken string       `json:"access_token"`
	TokenType   string       `json:"token_type"`
	ExpiresIn   int64        `json:"expires_in"`
	Customer    *customerRef `json:"customer,omitempty"`
}

type customerRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (h httpAPI) token(w http.ResponseWriter, r *http.Request) error {
	var req tokenRequest
	if err := web.Decode(r, &req); err != nil {
		return err
	}
	issued, err := h.login(r, req)
	if err != nil {
		return refuse(w, err)
	}
	resp := tokenResponse{AccessToken: issued.Token, TokenType: "Bearer", ExpiresIn: int64(issued.ExpiresIn.Seconds())}
	if issued.Principal.Role == token.RoleCustomer {
		resp.Customer = &customerRef{ID: issued.Principal.ID, Name: issued.Principal.Name}
	}
	w.Header().Set("Cache-Control", "no-store")
	web.Respond(w, http.StatusOK, resp)
	return nil
}

func (h httpAPI) login(r *http.Request, req tokenRequest) (Issued, error) {
	switch {
	case req.TaxID == nil && req.Email == nil && req.Password == nil:
		return h.anonymousLogin(r)
	case req.TaxID != nil && req.Email == nil && req.Password == nil:
		return h.customerLogin(r, *req.TaxID)
	case req.TaxID == nil && req.Email != nil && req.Password != nil:
		return h.employeeLogin(r, *req.Email, *req.Password)
	}
	return Issued{}, web.InvalidRequest("send {\"tax_id\"} for a customer token, {\"email\",\"password\"} for an employee token, or {} for an anonymous token")
}

// anonymousLogin mints an anonymous token, so many an hour per address.
func (h httpAPI) anonymousLogin(r *http.Request) (Issued, error) {
	ip := web.ClientIP(r)
	if err := h.throttle.startAnonymous(ip); err != nil {
		h.log.WarnContext(r.Context(), "anonymous token throttled", "client_ip", ip)
		return Issued{}, err
	}
	issued, err := h.auth.AnonymousToken(r.Context())
	h.throttle.anonDone(ip, err)
	return issued, err
}

// customerLogin is a CPF lookup, throttled when it keeps finding nobody.
func (h httpAPI) customerLogin(r *http.Request, taxID string) (Issued, error) {
	ip := web.ClientIP(r)
	if err := h.throttle.startCPF(ip); err != nil {
		return Issued{}, err
	}
	issued, err := h.auth.CustomerToken(r.Context(), taxID)
	h.throttle.cpfDone(ip, err)
	return issued, err
}

// employeeLogin is a password check, throttled when it keeps failing.
func (h httpAPI) employeeLogin(r *http.Request, email, password string) (Issued, error) {
	ip := web.ClientIP(r)
	attempt, err := h.throttle.startLogin(email, ip)
	if err != nil {
		h.log.WarnContext(r.Context(), "employee login throttled", "client_ip", ip, "err", err)
		return Issued{}, err
	}
	issued, err := h.auth.EmployeeToken(r.Context(), email, password)
	attempt.done(err)
	return issued, err
}

// refuse is the answer to a failed request: the error in its HTTP form,
// with Retry-After when it was throttled.
func refuse(w http.ResponseWriter, err error) error {
	writeRetryAfter(w, err)
	return httpError(err)
}

func (h httpAPI) jwksDocument(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Cache-Control", jwksMaxAge)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(h.jwks)
}
