package auth

import (
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// countingComparer records the hashes it is asked to compare against.
type countingComparer struct {
	mu     sync.Mutex
	hashes [][]byte
}

func (c *countingComparer) compare(hash, password []byte) error {
	c.mu.Lock()
	c.hashes = append(c.hashes, hash)
	c.mu.Unlock()
	return bcrypt.CompareHashAndPassword(hash, password)
}

func (c *countingComparer) take() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hashes
	c.hashes = nil
	return h
}

// An unknown email and a wrong password cost the same: exactly one bcrypt
// comparison each, against hashes of the same cost, so the answer's timing
// does not tell which emails exist.
func TestAuthenticateComparesOnceWhateverTheEmail(t *testing.T) {
	t.Parallel()
	e, err := NewEmployees(EmployeeConfig{Email: "staff@comanda.local", PasswordHash: testHash(t, "s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	spy := &countingComparer{}
	e.compare = spy.compare
	realCost, _ := bcrypt.Cost(e.hash)
	for _, tt := range []struct{ name, email, password string }{
		{"unknown email", "nobody@comanda.local", "s3cret"},
		{"wrong password", "staff@comanda.local", "wrong"},
		{"right password", "staff@comanda.local", "s3cret"},
	} {
		_, _ = e.Authenticate(tt.email, tt.password)
		hashes := spy.take()
		if len(hashes) != 1 {
			t.Fatalf("%s: %d bcrypt comparisons; want exactly 1", tt.name, len(hashes))
		}
		if cost, err := bcrypt.Cost(hashes[0]); err != nil || cost != realCost {
			t.Fatalf("%s: compared against a cost-%d hash; want the real hash's cost %d", tt.name, cost, realCost)
		}
	}
}
