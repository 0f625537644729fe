package token

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/comanda/comanda/services/platform/web"
)

type ctxKey struct{}

// WithClaims returns ctx carrying claims.
func WithClaims(ctx context.Context, c Claims) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the verified claims of the request, if any.
func FromContext(ctx context.Context) (Claims, bool) {
	c, ok := ctx.Value(ctxKey{}).(Claims)
	return c, ok
}

// Require admits only requests with a valid bearer token whose role is one of
// roles (any role when none is given): no or bad token is 401, a wrong role 403.
func Require(v *Verifier, log *slog.Logger, roles ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			raw, ok := bearer(r)
			if !ok {
				web.WriteError(w, r, log, web.Unauthorized("a bearer token is required"))
				return
			}
			claims, err := v.Verify(raw)
			if err != nil {
				log.InfoContext(r.Context(), "token rejected", "reason", err)
				web.WriteError(w, r, log, web.Unauthorized("the token is invalid or expired"))
				return
			}
			if len(roles) > 0 && !slices.Contains(roles, claims.Role) {
				web.WriteError(w, r, log, web.Forbidden("this route is for the %s role", strings.Join(roles, " or ")))
				return
			}
			next.ServeHTTP(w, r.WithContext(WithClaims(r.Context(), claims)))
		})
	}
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, raw, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		return "", false
	}
	return strings.TrimSpace(raw), true
}
