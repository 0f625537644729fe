package dbinit

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

// The verifier made from RFC 7677's example (password "pencil", its salt
// and iteration count) must reproduce the exchange the RFC shows: the
// server signature from ServerKey, and StoredKey from the client's proof.
func TestScramVerifierMatchesRFC7677(t *testing.T) {
	t.Parallel()
	salt, _ := base64.StdEncoding.DecodeString("W22ZaJ0SNY7soEsUEjb6gQ==")
	v, err := scramVerifier("pencil", salt, 4096)
	if err != nil {
		t.Fatal(err)
	}
	head, keys, ok := strings.Cut(v, "$")
	if !ok || head != "SCRAM-SHA-256" {
		t.Fatalf("verifier %q: want SCRAM-SHA-256$…", v)
	}
	params, keys, _ := strings.Cut(keys, "$")
	if params != "4096:W22ZaJ0SNY7soEsUEjb6gQ==" {
		t.Errorf("iterations and salt = %q", params)
	}
	stored64, server64, _ := strings.Cut(keys, ":")
	storedKey, _ := base64.StdEncoding.DecodeString(stored64)
	serverKey, _ := base64.StdEncoding.DecodeString(server64)

	const authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO," +
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
	if got := base64.StdEncoding.EncodeToString(hmacSHA256(serverKey, authMessage)); got != "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=" {
		t.Errorf("server signature = %s; want RFC 7677's", got)
	}
	proof, _ := base64.StdEncoding.DecodeString("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
	clientSignature := hmacSHA256(storedKey, authMessage)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ clientSignature[i]
	}
	if sum := sha256.Sum256(clientKey); !hmac.Equal(sum[:], storedKey) {
		t.Error("RFC 7677's client proof does not match the verifier's StoredKey")
	}
}

func TestPasswordVerifierSaltsEachTime(t *testing.T) {
	t.Parallel()
	a, errA := passwordVerifier("same password")
	b, errB := passwordVerifier("same password")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a == b || bytes.Contains([]byte(a), []byte("same password")) {
		t.Errorf("verifiers %q and %q: want different salts and no password", a, b)
	}
}

func TestScramVerifierRefusesWhatItCannotNormalize(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"", "pässword", "tab\there"} {
		if _, err := scramVerifier(pw, []byte("salt"), 4096); err == nil {
			t.Errorf("password %q accepted", pw)
		}
	}
}
