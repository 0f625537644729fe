package token_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// Tokens that differ from an accepted one in any byte are verified on
// their own, and the accepted one is unaffected.
func TestVerifyNeverAnswersAForgeryFromTheCache(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	v := iss.Verifier()
	good := iss.Sign(t, validClaims(iss))
	if _, err := v.Verify(good); err != nil {
		t.Fatal(err)
	}
	forgeries := map[string]string{
		"promoted to employee":   tokentest.Tamper(t, good, "role", token.RoleEmployee),
		"signature changed":      good[:len(good)-2] + flip(good[len(good)-2]) + good[len(good)-1:],
		"signed by another key":  iss.Impostor(t).Sign(t, validClaims(iss)),
		"with trailing garbage":  good + "x",
		"the payload of another": tokentest.Tamper(t, good, "sub", "someone-else"),
	}
	for name, raw := range forgeries {
		if claims, err := v.Verify(raw); !errors.Is(err, token.ErrInvalid) {
			t.Errorf("%s: Verify = %+v, %v; want ErrInvalid", name, claims, err)
		}
	}
	claims, err := v.Verify(good)
	if err != nil || claims.Role != token.RoleCustomer {
		t.Fatalf("the genuine token after the forgeries: %+v, %v", claims, err)
	}
}

// Many requests verify the same and different tokens at once.
func TestVerifyIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	iss := tokentest.New(t)
	v := iss.Verifier()
	good := []string{iss.Employee(t), iss.Token(t, token.RoleCustomer), iss.Token(t, token.RoleCustomer)}
	bad := tokentest.Tamper(t, good[1], "role", token.RoleEmployee)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				raw := good[(g+i)%len(good)]
				if _, err := v.Verify(raw); err != nil {
					t.Errorf("a genuine token was refused: %v", err)
					return
				}
				if _, err := v.Verify(bad); !errors.Is(err, token.ErrInvalid) {
					t.Errorf("the tampered token: %v; want ErrInvalid", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// flip changes a base64url character into another.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}
