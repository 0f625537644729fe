package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/comanda/comanda/services/platform/token"
)

// AnonymousName is the name carried by anonymous customer tokens.
const AnonymousName = "Cliente anônimo"

// Customers stores and finds customers.
type Customers interface {
	Create(ctx context.Context, c Customer) error
	FindByTaxID(ctx context.Context, cpf CPF) (Customer, error)
}

// TokenSigner turns a principal into a signed token.
type TokenSigner interface {
	Sign(ctx context.Context, p token.Principal, ttl time.Duration) (string, error)
}

// Issued is a token and what it was issued for.
type Issued struct {
	Token     string
	ExpiresIn time.Duration
	Principal token.Principal
}

// Auth registers customers and issues tokens.
type Auth struct {
	customers   Customers
	employees   *Employees
	signer      TokenSigner
	customerTTL time.Duration
	employeeTTL time.Duration
}

// NewAuth wires the use cases; tokens live customerTTL or employeeTTL.
func NewAuth(c Customers, e *Employees, s TokenSigner, customerTTL, employeeTTL time.Duration) *Auth {
	return &Auth{customers: c, employees: e, signer: s, customerTTL: customerTTL, employeeTTL: employeeTTL}
}

// Register validates and stores a new customer.
func (a *Auth) Register(ctx context.Context, taxID, name, email string) (Customer, error) {
	c, err := NewCustomer(taxID, name, email)
	if err != nil {
		return Customer{}, err
	}
	if err := a.customers.Create(ctx, c); err != nil {
		return Customer{}, err
	}
	return c, nil
}

// CustomerToken issues a token for the customer registered with taxID.
func (a *Auth) CustomerToken(ctx context.Context, taxID string) (Issued, error) {
	cpf, err := parseTaxIDField(taxID)
	if err != nil {
		return Issued{}, err
	}
	c, err := a.customers.FindByTaxID(ctx, cpf)
	if err != nil {
		return Issued{}, err
	}
	return a.issue(ctx, token.Principal{ID: c.ID, Name: c.Name, Role: token.RoleCustomer}, a.customerTTL)
}

// AnonymousToken issues a customer token with a fresh id each time.
func (a *Auth) AnonymousToken(ctx context.Context) (Issued, error) {
	return a.issue(ctx, token.Principal{ID: uuid.NewString(), Name: AnonymousName, Role: token.RoleCustomer}, a.customerTTL)
}

// EmployeeToken issues an employee token after checking the password.
func (a *Auth) EmployeeToken(ctx context.Context, email, password string) (Issued, error) {
	if err := checkCredentials(email, password); err != nil {
		return Issued{}, err
	}
	p, err := a.employees.Authenticate(email, password)
	if err != nil {
		return Issued{}, err
	}
	return a.issue(ctx, p, a.employeeTTL)
}

func (a *Auth) issue(ctx context.Context, p token.Principal, ttl time.Duration) (Issued, error) {
	raw, err := a.signer.Sign(ctx, p, ttl)
	if err != nil {
		return Issued{}, fmt.Errorf("issue %s token: %w", p.Role, err)
	}
	return Issued{Token: raw, ExpiresIn: ttl, Principal: p}, nil
}
