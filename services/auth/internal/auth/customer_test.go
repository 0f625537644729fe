package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestNewCustomer(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", MaxNameLength)
	tests := []struct {
		name                string
		taxID, cname, email string
		wantField           string // "" when valid
		wantInvalidTaxID    bool
		wantName, wantEmail string
	}{
		{name: "valid", taxID: "111.444.777-35", cname: "  Ana Souza ", email: " ana@example.com ", wantName: "Ana Souza", wantEmail: "ana@example.com"},
		{name: "name at limit", taxID: "52998224725", cname: long, email: "a@b.co", wantName: long, wantEmail: "a@b.co"},
		{name: "accented name", taxID: "52998224725", cname: "João Conceição", email: "j@x.com.br", wantName: "João Conceição", wantEmail: "j@x.com.br"},
		{name: "missing tax_id", cname: "Ana", email: "a@b.co", wantField: "tax_id"},
		{name: "bad tax_id", taxID: "52998224726", cname: "Ana", email: "a@b.co", wantInvalidTaxID: true},
		{name: "missing name", taxID: "52998224725", cname: "   ", email: "a@b.co", wantField: "name"},
		{name: "long name", taxID: "52998224725", cname: long + "b", email: "a@b.co", wantField: "name"},
		{name: "control in name", taxID: "52998224725", cname: "Ana\x00", email: "a@b.co", wantField: "name"},
		{name: "NUL inside name", taxID: "52998224725", cname: "A\x00na", email: "a@b.co", wantField: "name"},
		{name: "newline in name", taxID: "52998224725", cname: "Ana\nSouza", email: "a@b.co", wantField: "name"},
		{name: "trailing newline trimmed from name", taxID: "52998224725", cname: "Ana\n", email: "a@b.co", wantName: "Ana", wantEmail: "a@b.co"},
		{name: "C1 control in name", taxID: "52998224725", cname: "Ana\u009bSouza", email: "a@b.co", wantField: "name"},
		{name: "right-to-left override in name", taxID: "52998224725", cname: "Ana\u202ESouza", email: "a@b.co", wantField: "name"},
		{name: "isolate in name", taxID: "52998224725", cname: "Ana\u2066Souza", email: "a@b.co", wantField: "name"},
		{name: "invalid UTF-8 in name", taxID: "52998224725", cname: "Ana\xffSouza", email: "a@b.co", wantField: "name"},
		{name: "NUL in tax_id", taxID: "52998224725\x00", cname: "Ana", email: "a@b.co", wantField: "tax_id"},
		{name: "override in tax_id", taxID: "\u202E52998224725", cname: "Ana", email: "a@b.co", wantField: "tax_id"},
		{name: "NUL in email", taxID: "52998224725", cname: "Ana", email: "a@b.co\x00", wantField: "email"},
		{name: "isolate in email", taxID: "52998224725", cname: "Ana", email: "a\u2069@b.co", wantField: "email"},
		{name: "missing email", taxID: "52998224725", cname: "Ana", wantField: "email"},
		{name: "email without at", taxID: "52998224725", cname: "Ana", email: "ana.example.com", wantField: "email"},
		{name: "email with display name", taxID: "52998224725", cname: "Ana", email: "Ana <ana@example.com>", wantField: "email"},
		{name: "email list", taxID: "52998224725", cname: "Ana", email: "a@b.co, c@d.co", wantField: "email"},
		{name: "email without dotted domain", taxID: "52998224725", cname: "Ana", email: "ana@localhost", wantField: "email"},
		{name: "email too long", taxID: "52998224725", cname: "Ana", email: strings.Repeat("a", 250) + "@b.co", wantField: "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := NewCustomer(tt.taxID, tt.cname, tt.email)
			var field *FieldError
			switch {
			case tt.wantInvalidTaxID:
				if !errors.Is(err, ErrInvalidTaxID) {
					t.Fatalf("err = %v, want ErrInvalidTaxID", err)
				}
			case tt.wantField != "":
				if !errors.As(err, &field) || field.Field != tt.wantField {
					t.Fatalf("err = %v, want a FieldError on %s", err, tt.wantField)
				}
			case err != nil:
				t.Fatalf("NewCustomer: %v", err)
			case c.Name != tt.wantName || c.Email != tt.wantEmail || uuid.Validate(c.ID) != nil:
				t.Fatalf("customer = %+v, want name %q email %q and a UUID id", c, tt.wantName, tt.wantEmail)
			}
		})
	}
}
