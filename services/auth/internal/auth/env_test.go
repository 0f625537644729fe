package auth

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/config"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token"
)

const (
	testEmployeeEmail    = "staff@comanda.local"
	testEmployeePassword = "sandbox-staff-password"
)

// testEnv is one auth service against an in-process kumo, with its own
// table, KMS key and secret, so tests run in parallel without clean-up.
type testEnv struct {
	t         *testing.T
	clients   awsconf.Clients
	cfg       Config
	secret    token.ProjectSecret
	publicKey *rsa.PublicKey
	handler   http.Handler
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, nil)
}

// newTestEnvWith is newTestEnv with extra settings, e.g. rate limits.
func newTestEnvWith(t *testing.T, extra map[string]string) *testEnv {
	t.Helper()
	ctx := t.Context()
	awsCfg, clients := awstest.Clients(t)
	e := &testEnv{t: t, clients: clients}
	table := awstest.CreateTable(t, clients, "customers")
	e.secret, e.publicKey = createSigningKey(t, clients.KMS)
	secretID := awstest.UniqueName("comanda/project-")
	secret, err := json.Marshal(e.secret)
	if err != nil {
		t.Fatal(err)
	}
	awstest.CreateSecret(t, clients, secretID, string(secret))
	env := map[string]string{
		"CUSTOMERS_TABLE":                  table,
		"PROJECT_SECRET_ID":                secretID,
		"AWS_ENDPOINT_URL":                 awsCfg.Endpoint,
		"BOOTSTRAP_EMPLOYEE_EMAIL":         testEmployeeEmail,
		"BOOTSTRAP_EMPLOYEE_PASSWORD_HASH": testHash(t, testEmployeePassword),
	}
	maps.Copy(env, extra)
	e.cfg = testConfig(t, env)
	e.handler, err = NewHandler(ctx, e.cfg, Deps{DynamoDB: clients.DynamoDB, KMS: clients.KMS, Secret: e.secret}, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func testConfig(t *testing.T, env map[string]string) Config {
	t.Helper()
	var cfg Config
	if err := config.LoadFrom(t.Context(), env, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// createSigningKey makes an RSA 2048 signing key in KMS, as Terraform does,
// and returns the secret describing it with its public key.
func createSigningKey(t *testing.T, k *kms.Client) (token.ProjectSecret, *rsa.PublicKey) {
	t.Helper()
	ctx := t.Context()
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecRsa2048, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		t.Fatalf("create KMS key: %v", err)
	}
	keyID := aws.ToString(key.KeyMetadata.KeyId)
	pub, err := k.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		t.Fatalf("get public key: %v", err)
	}
	parsed, err := x509.ParsePKIXPublicKey(pub.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pemText := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub.PublicKey})
	return token.ProjectSecret{KeyID: keyID, PublicKeyPEM: string(pemText)}, parsed.(*rsa.PublicKey)
}

func (e *testEnv) verifier() *token.Verifier {
	return token.NewVerifier(e.cfg.Token, map[string]*rsa.PublicKey{e.secret.KeyID: e.publicKey})
}

// response is a recorded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (e *testEnv) do(method, path, body string) response {
	e.t.Helper()
	return e.doWith(method, path, body, nil)
}

// doWith is do with extra request headers.
func (e *testEnv) doWith(method, path, body string, headers map[string]string) response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequestWithContext(e.t.Context(), method, path, r)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.handler.ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (e *testEnv) post(path, body string) response { return e.do(http.MethodPost, path, body) }

// decode strictly decodes the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// wantError checks status and that the body is exactly the one error shape.
func (r response) wantError(t *testing.T, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var body struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	r.decode(t, &body)
	if body.Error.Code != code || body.Error.Message == "" {
		t.Fatalf("error = %+v, want code %q with a message", body.Error, code)
	}
}

func (r response) wantStatus(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
}

// register registers a customer and returns it.
func (e *testEnv) register(taxID, name string) customerResponse {
	e.t.Helper()
	body, _ := json.Marshal(registerRequest{TaxID: taxID, Name: name, Email: "cliente@example.com"})
	r := e.post("/auth/customers", string(body))
	r.wantStatus(e.t, http.StatusCreated)
	var c customerResponse
	r.decode(e.t, &c)
	return c
}
