package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/comanda/comanda/services/platform/token"
)

func testHash(t *testing.T, password string) string {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(h)
}

func TestEmployeesAuthenticate(t *testing.T) {
	t.Parallel()
	e, err := NewEmployees(EmployeeConfig{Email: "Staff@Comanda.Local", PasswordHash: testHash(t, "s3cret"), Name: "Kitchen"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		email, password string
		ok              bool
	}{
		{"staff@comanda.local", "s3cret", true},
		{" STAFF@comanda.local ", "s3cret", true},
		{"staff@comanda.local", "wrong", false},
		{"staff@comanda.local", "S3cret", false},
		{"other@comanda.local", "s3cret", false},
	}
	for _, tt := range tests {
		p, err := e.Authenticate(tt.email, tt.password)
		if !tt.ok {
			if !errors.Is(err, ErrInvalidCredentials) {
				t.Errorf("Authenticate(%q, %q) = %v, want ErrInvalidCredentials", tt.email, tt.password, err)
			}
			continue
		}
		want := token.Principal{ID: EmployeeID("staff@comanda.local"), Name: "Kitchen", Role: token.RoleEmployee}
		if err != nil || p != want {
			t.Errorf("Authenticate(%q, %q) = %+v, %v; want %+v", tt.email, tt.password, p, err, want)
		}
	}
}

func TestEmployeesDisabledWithoutConfig(t *testing.T) {
	t.Parallel()
	for _, c := range []EmployeeConfig{
		{},
		{Email: "staff@comanda.local"},
		{PasswordHash: testHash(t, "x")},
	} {
		e, err := NewEmployees(c)
		if err != nil {
			t.Fatal(err)
		}
		if e.Enabled() {
			t.Errorf("NewEmployees(%+v) is enabled", c)
		}
		if _, err := e.Authenticate("", ""); !errors.Is(err, ErrInvalidCredentials) {
			t.Errorf("Authenticate on %+v = %v, want ErrInvalidCredentials", c, err)
		}
	}
}

func TestEmployeesMalformedHash(t *testing.T) {
	t.Parallel()
	if _, err := NewEmployees(EmployeeConfig{Email: "a@b.co", PasswordHash: "plaintext"}); err == nil {
		t.Fatal("a hash that is not bcrypt was accepted")
	}
}

func TestEmployeeIDIsStable(t *testing.T) {
	t.Parallel()
	a, b := EmployeeID("staff@comanda.local"), EmployeeID(" Staff@Comanda.local")
	if a != b || uuid.Validate(a) != nil || a == EmployeeID("other@comanda.local") {
		t.Fatalf("EmployeeID: %q %q", a, b)
	}
}

func TestCheckCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email, password string
		wantField       string // "" when the fields may be right
	}{
		{"staff@comanda.local", "s3cret", ""},
		{"staff@comanda.local", "pässwörd with spaces & symbols!", ""},
		{"staff@comanda.local", strings.Repeat("p", MaxPasswordBytes), ""},
		{"", "s3cret", "email"},
		{"staff@comanda.local", "", "password"},
		{"staff@comanda.local", strings.Repeat("p", MaxPasswordBytes+1), "password"},
		{"staff@comanda.local", "s3\x00cret", "password"},
		{"staff@comanda.local", "s3cret\n", "password"},
		{"staff@comanda.local", "s3\u0085cret", "password"},
		{"staff@comanda.local", "s3\u202Ecret", "password"},
		{"staff@comanda.local", "s3\xffcret", "password"},
		{"staff@comanda.local\x00", "s3cret", "email"},
		{"staff\u2066@comanda.local", "s3cret", "email"},
	}
	for _, tt := range tests {
		err := checkCredentials(tt.email, tt.password)
		var field *FieldError
		switch {
		case tt.wantField == "" && err != nil:
			t.Errorf("checkCredentials(%q, %q) = %v; want nil", tt.email, tt.password, err)
		case tt.wantField != "" && (!errors.As(err, &field) || field.Field != tt.wantField):
			t.Errorf("checkCredentials(%q, %q) = %v; want a FieldError on %s", tt.email, tt.password, err, tt.wantField)
		}
	}
}
