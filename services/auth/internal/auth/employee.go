package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/comanda/comanda/services/platform/token"
)

// MaxPasswordBytes is the longest password bcrypt reads; a longer one would
// be cut there, so that anything after byte 72 would pass, and is refused.
const MaxPasswordBytes = 72

// checkCredentials refuses an employee login whose fields cannot be right.
// Email and password follow the rule for every text field: a password may be
// any text but a control character, which no one types and nothing after
// this check should have to handle.
func checkCredentials(email, password string) error {
	if err := checkText("email", strings.TrimSpace(email)); err != nil {
		return err
	}
	if err := checkText("password", password); err != nil {
		return err
	}
	switch {
	case email == "":
		return fieldError("email", "is required")
	case len(email) > MaxEmailLength:
		return fieldError("email", "must be at most 254 characters")
	case password == "":
		return fieldError("password", "is required")
	case len(password) > MaxPasswordBytes:
		return fieldError("password", "must be at most 72 bytes")
	}
	return nil
}

// comparer checks a password against a bcrypt hash.
type comparer func(hash, password []byte) error

// Employees checks employee logins against the one bootstrap employee.
type Employees struct {
	email string // lower case; "" when no employee is configured
	hash  []byte
	who   token.Principal
	// dummy is compared on an unknown email, so that the answer takes as
	// long as for a wrong password and does not reveal which emails exist.
	dummy   []byte
	compare comparer
}

// NewEmployees builds the directory from c. Enabled reports false when the
// email or hash is missing; a malformed hash is an error.
func NewEmployees(c EmployeeConfig) (*Employees, error) {
	if c.Email == "" || c.PasswordHash == "" {
		return &Employees{}, nil
	}
	cost, err := bcrypt.Cost([]byte(c.PasswordHash))
	if err != nil {
		return nil, fmt.Errorf("BOOTSTRAP_EMPLOYEE_PASSWORD_HASH is not a bcrypt hash: %w", err)
	}
	// The dummy costs what the real hash costs, so both answers take as long.
	dummy, err := bcrypt.GenerateFromPassword([]byte(rand.Text()), cost)
	if err != nil {
		return nil, fmt.Errorf("make dummy password hash: %w", err)
	}
	email := normalEmail(c.Email)
	return &Employees{
		email:   email,
		hash:    []byte(c.PasswordHash),
		who:     token.Principal{ID: EmployeeID(email), Name: employeeName(c.Name), Role: token.RoleEmployee},
		dummy:   dummy,
		compare: bcrypt.CompareHashAndPassword,
	}, nil
}

// Enabled reports whether an employee can log in at all.
func (e *Employees) Enabled() bool { return e.email != "" }

// Authenticate returns the employee with email and password, or
// ErrInvalidCredentials. With an employee configured it runs one bcrypt
// comparison whatever the email; with none, every answer is the same refusal,
// so there is nothing for timing to reveal.
func (e *Employees) Authenticate(email, password string) (token.Principal, error) {
	if !e.Enabled() {
		return token.Principal{}, ErrInvalidCredentials
	}
	known := subtle.ConstantTimeCompare([]byte(normalEmail(email)), []byte(e.email)) == 1
	hash := e.dummy
	if known {
		hash = e.hash
	}
	if err := e.compare(hash, []byte(password)); err != nil || !known {
		return token.Principal{}, ErrInvalidCredentials
	}
	return e.who, nil
}

// EmployeeID is an employee's stable id: a UUID v5 of the email, the same in
// every deployment and across restarts.
func EmployeeID(email string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("mailto:"+normalEmail(email))).String()
}

func normalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func employeeName(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "Staff"
	}
	return name
}
