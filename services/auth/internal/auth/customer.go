package auth

import (
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/web"
)

// Limits on customer fields.
const (
	MaxNameLength  = 120
	MaxEmailLength = 254
)

// Customer is a registered customer.
type Customer struct {
	ID    string
	TaxID CPF
	Name  string
	Email string
}

// NewCustomer validates a registration and gives the customer a fresh id.
func NewCustomer(taxID, name, email string) (Customer, error) {
	cpf, err := parseTaxIDField(taxID)
	if err != nil {
		return Customer{}, err
	}
	name, err = validName(name)
	if err != nil {
		return Customer{}, err
	}
	email, err = validEmail(email)
	if err != nil {
		return Customer{}, err
	}
	return Customer{ID: uuid.NewString(), TaxID: cpf, Name: name, Email: email}, nil
}

// parseTaxIDField is ParseCPF for a request field: absent, or not text once
// trimmed (a control character, invalid UTF-8), is invalid_request; present
// but not a CPF is invalid_tax_id.
func parseTaxIDField(raw string) (CPF, error) {
	trimmed := strings.TrimSpace(raw)
	if trimmed == "" {
		return "", fieldError("tax_id", "is required")
	}
	if err := checkText("tax_id", trimmed); err != nil {
		return "", err
	}
	return ParseCPF(raw)
}

// checkText applies the platform's rule for single-line client text to a
// field's trimmed value: the spaces around it are dropped, not refused.
func checkText(field, raw string) error {
	if err := web.CheckText(raw, false); err != nil {
		return fieldError(field, err.Error())
	}
	return nil
}

func validName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		return "", fieldError("name", "is required")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", fieldError("name", "must be at most 120 characters")
	}
	return name, checkText("name", name)
}

// validEmail accepts one plain address (no display name, no list) that
// net/mail can parse, with a dotted domain.
func validEmail(raw string) (string, error) {
	email := strings.TrimSpace(raw)
	if email == "" {
		return "", fieldError("email", "is required")
	}
	if err := checkText("email", email); err != nil {
		return "", err
	}
	if len(email) > MaxEmailLength {
		return "", fieldError("email", "must be at most 254 characters")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Name != "" || addr.Address != email || !hasDottedDomain(email) {
		return "", fieldError("email", "must be an email address like name@example.com")
	}
	return email, nil
}

func hasDottedDomain(email string) bool {
	at := strings.LastIndexByte(email, '@')
	return at >= 0 && strings.Contains(email[at+1:], ".")
}
