package token_test

import (
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/platform/token/tokentest"
)

// validClaims are what the auth service issues to a customer, with a
// not-before as well, so that its check is exercised.
func validClaims(iss *tokentest.Issuer) token.Claims {
	c := iss.Claims(token.RoleCustomer, "0b6f3c2e-8d1a-4c5e-9f7a-2b3c4d5e6f70", "Ana")
	c.NotBefore = c.IssuedAt
	return c
}

// withKID is iss signing under kid instead, or with no kid when it is empty.
func withKID(iss *tokentest.Issuer, kid string) *tokentest.Issuer {
	other := *iss
	other.KID = kid
	return &other
}
