package console

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/comanda/comanda/harness/apiclient"
)

// staff calls the public API as the bootstrap employee, logging in when
// it has no token yet or its token has expired.
type staff struct {
	api             *apiclient.Client
	email, password string

	mu    sync.Mutex
	token string
}

// do sends a request as the employee; an answer of 401 logs in again and
// sends it once more.
func (s *staff) do(ctx context.Context, method, path string, body any) (*apiclient.Response, error) {
	for attempt := 0; ; attempt++ {
		token, err := s.currentToken(ctx, attempt > 0)
		if err != nil {
			return nil, err
		}
		res, err := s.api.Do(ctx, method, path, token, body)
		if err != nil || res.Status != http.StatusUnauthorized || attempt > 0 {
			return res, err
		}
	}
}

func (s *staff) currentToken(ctx context.Context, renew bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && !renew {
		return s.token, nil
	}
	res, err := s.api.Do(ctx, http.MethodPost, "/auth/token", "", map[string]string{"email": s.email, "password": s.password})
	if err != nil {
		return "", fmt.Errorf("log in as %s: %w", s.email, err)
	}
	var tok apiclient.Token
	if err := res.Expect(http.StatusOK, &tok); err != nil {
		return "", fmt.Errorf("log in as %s: %w", s.email, err)
	}
	s.token = tok.AccessToken
	return s.token, nil
}
