package auth

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
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

// parseTaxIDField is ParseCPF for a request field: absent is invalid_request,
// present but not a CPF is invalid_tax_id.
func parseTaxIDField(raw string) (CPF, error) {
	if strings.TrimSpace(raw) == "" {
		return "", fieldError("tax_id", "is required")
	}
	return ParseCPF(raw)
}

func validName(raw string) (string, error) {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		return "", fieldError("name", "is required")
	case utf8.RuneCountInString(name) > MaxNameLength:
		return "", fieldError("name", "must be at most 120 characters")
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return "", fieldError("name", "must be printable text")
	}
	return name, nil
}

// validEmail accepts one plain address (no display name, no list) that
// net/mail can parse, with a dotted domain.
func validEmail(raw string) (string, error) {
	email := strings.TrimSpace(raw)
	if email == "" {
		return "", fieldError("email", "is required")
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
