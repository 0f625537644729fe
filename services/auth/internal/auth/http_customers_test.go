package auth

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
)

// randomCPF returns a fresh valid CPF.
func randomCPF() string {
	d := make([]int, 9, 11)
	for i := range d {
		d[i] = rand.IntN(10)
	}
	d = append(d, checkDigit(d))
	d = append(d, checkDigit(d))
	s := ""
	for _, v := range d {
		s += strconv.Itoa(v)
	}
	if _, err := ParseCPF(s); err != nil {
		return randomCPF() // one repeated digit: draw again
	}
	return s
}

func TestRegisterCustomer(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	r := e.post("/auth/customers", `{"tax_id":"111.444.777-35","name":"  Ana Souza ","email":"ana@example.com"}`)
	r.wantStatus(t, http.StatusCreated)
	var c customerResponse
	r.decode(t, &c)
	if uuid.Validate(c.ID) != nil || c.TaxID != "11144477735" || c.Name != "Ana Souza" || c.Email != "ana@example.com" {
		t.Fatalf("customer = %+v", c)
	}

	dup := e.post("/auth/customers", `{"tax_id":"11144477735","name":"Someone Else","email":"else@example.com"}`)
	dup.wantError(t, http.StatusConflict, "customer_exists")
}

func TestRegisterConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	cpf := randomCPF()
	const n = 16
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			statuses[i] = e.post("/auth/customers", `{"tax_id":"`+cpf+`","name":"Racer","email":"r@example.com"}`).status
		})
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
		default:
			t.Fatalf("status %d among %v", s, statuses)
		}
	}
	if created != 1 {
		t.Fatalf("%d registrations succeeded, want exactly 1: %v", created, statuses)
	}
}

func TestRegisterRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"check digit wrong", `{"tax_id":"52998224726","name":"Ana","email":"a@b.co"}`, 400, "invalid_tax_id"},
		{"repeated digit", `{"tax_id":"111.111.111-11","name":"Ana","email":"a@b.co"}`, 400, "invalid_tax_id"},
		{"letters", `{"tax_id":"abc","name":"Ana","email":"a@b.co"}`, 400, "invalid_tax_id"},
		{"missing tax_id", `{"name":"Ana","email":"a@b.co"}`, 400, "invalid_request"},
		{"missing name", `{"tax_id":"52998224725","email":"a@b.co"}`, 400, "invalid_request"},
		{"bad email", `{"tax_id":"52998224725","name":"Ana","email":"nope"}`, 400, "invalid_request"},
		{"unknown field", `{"tax_id":"52998224725","name":"Ana","email":"a@b.co","role":"employee"}`, 400, "invalid_request"},
		{"wrong type", `{"tax_id":52998224725,"name":"Ana","email":"a@b.co"}`, 400, "invalid_request"},
		{"not JSON", `{"tax_id":`, 400, "invalid_request"},
		{"empty body", ``, 400, "invalid_request"},
		{"trailing data", `{"tax_id":"52998224725","name":"Ana","email":"a@b.co"} {}`, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.post("/auth/customers", tt.body).wantError(t, tt.status, tt.code)
		})
	}
	// None of the above stored anything.
	e.register("52998224725", "Ana")
}

// TestRegisterRefusesHostileText sends keys and text no field may hold; each
// is 400 invalid_request naming the field, and none is stored.
func TestRegisterRefusesHostileText(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const cpf = "52998224725"
	tests := []struct {
		name, body, field string
	}{
		{"duplicate tax_id", `{"tax_id":"` + cpf + `","tax_id":"11144477735","name":"Ana","email":"a@b.co"}`, `"tax_id"`},
		{"duplicate name", `{"tax_id":"` + cpf + `","name":"Ana","name":"Bia","email":"a@b.co"}`, `"name"`},
		{"upper-case key", `{"TAX_ID":"` + cpf + `","name":"Ana","email":"a@b.co"}`, `"tax_id"`},
		{"mixed-case key", `{"Tax_Id":"` + cpf + `","name":"Ana","email":"a@b.co"}`, `"tax_id"`},
		{"NUL in name", `{"tax_id":"` + cpf + `","name":"A\u0000na","email":"a@b.co"}`, "name"},
		{"C1 control in name", `{"tax_id":"` + cpf + `","name":"A\u0085na","email":"a@b.co"}`, "name"},
		{"override in name", `{"tax_id":"` + cpf + `","name":"Ana\u202Eanuos","email":"a@b.co"}`, "name"},
		{"isolate in name", `{"tax_id":"` + cpf + `","name":"Ana\u2066x","email":"a@b.co"}`, "name"},
		{"newline in name", `{"tax_id":"` + cpf + `","name":"Ana\nSouza","email":"a@b.co"}`, "name"},
		{"invalid UTF-8 in name", "{\"tax_id\":\"" + cpf + "\",\"name\":\"Ana\xff\",\"email\":\"a@b.co\"}", "name"},
		{"NUL in tax_id", `{"tax_id":"` + cpf + `\u0000","name":"Ana","email":"a@b.co"}`, "tax_id"},
		{"escape in email", `{"tax_id":"` + cpf + `","name":"Ana","email":"a@b.co\u001b"}`, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFieldError(t, e.post("/auth/customers", tt.body), tt.field)
		})
	}
	e.register(cpf, "Ana")
}

// wantFieldError checks r is 400 invalid_request with a message naming field.
func wantFieldError(t *testing.T, r response, field string) {
	t.Helper()
	r.wantError(t, http.StatusBadRequest, "invalid_request")
	var body struct {
		Error struct{ Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil || !strings.Contains(body.Error.Message, field) {
		t.Fatalf("message %q (%v) does not name %s", body.Error.Message, err, field)
	}
}

func TestUnknownRouteAndMethodUseErrorShape(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.do(http.MethodGet, "/auth/customers", "").wantError(t, http.StatusMethodNotAllowed, "method_not_allowed")
	e.do(http.MethodGet, "/auth/nothing", "").wantError(t, http.StatusNotFound, "not_found")
}
