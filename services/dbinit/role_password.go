package dbinit

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// scramIterations is PostgreSQL's own default (scram_iterations).
const scramIterations = 4096

// passwordVerifier is what PostgreSQL keeps of a password in
// pg_authid.rolpassword: a SCRAM-SHA-256 verifier (RFC 5802, RFC 7677).
// Sending it instead of the password means the password itself never
// reaches the server, so neither its statement log nor pg_stat_statements
// can hold it; the role gets SCRAM whatever password_encryption says.
func passwordVerifier(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	return scramVerifier(password, salt, scramIterations)
}

func scramVerifier(password string, salt []byte, iterations int) (string, error) {
	// PostgreSQL normalizes a password with SASLprep before hashing it,
	// which leaves printable ASCII as it is; anything else would need
	// the normalization done here too, so it is refused.
	if password == "" {
		return "", errors.New("empty password")
	}
	for i := range len(password) {
		if c := password[i]; c < 0x20 || c > 0x7e {
			return "", errors.New("password must be printable ASCII")
		}
	}
	salted, err := pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
	if err != nil {
		return "", fmt.Errorf("salted password: %w", err)
	}
	storedKey := sha256.Sum256(hmacSHA256(salted, "Client Key"))
	serverKey := hmacSHA256(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iterations, b64(salt), b64(storedKey[:]), b64(serverKey)), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
