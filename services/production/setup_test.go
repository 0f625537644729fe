package production

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/sivchari/kumo"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/logging"
	"github.com/comanda/comanda/services/platform/token"
)

// testLog is a logger for tests; set -v to see nothing more, logs are quiet.
func testLog() *slog.Logger { return logging.Discard() }

// kumoURL is the in-process kumo every test of the package shares: kumo's
// servers share state anyway and starting several at once races inside kumo,
// so tests keep apart by naming their tables and queues uniquely.
var kumoURL string

func TestMain(m *testing.M) {
	srv := kumo.NewServer()
	kumoURL = srv.URL
	code := m.Run()
	srv.Close()
	os.Exit(code)
}

// newAWS returns clients for the shared kumo.
func newAWS(t *testing.T) (awsconf.Config, awsconf.Clients) {
	t.Helper()
	cfg := awsconf.Config{Region: "us-east-1", Endpoint: kumoURL}
	clients, err := awsconf.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, clients
}

// createKitchenTable creates a uniquely named table shaped as topology.json says.
func createKitchenTable(t *testing.T, db *dynamodb.Client) string {
	t.Helper()
	name := "kitchen-orders-" + uuid.NewString()
	s := func(n string) ddbtypes.AttributeDefinition {
		return ddbtypes.AttributeDefinition{AttributeName: aws.String(n), AttributeType: ddbtypes.ScalarAttributeTypeS}
	}
	_, err := db.CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{s("id"), s("status"), s("created_at")},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		GlobalSecondaryIndexes: []ddbtypes.GlobalSecondaryIndex{{
			IndexName: aws.String(StatusIndex),
			KeySchema: []ddbtypes.KeySchemaElement{
				{AttributeName: aws.String("status"), KeyType: ddbtypes.KeyTypeHash},
				{AttributeName: aws.String("created_at"), KeyType: ddbtypes.KeyTypeRange},
			},
			Projection: &ddbtypes.Projection{ProjectionType: ddbtypes.ProjectionTypeAll},
		}},
	})
	if err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	return name
}

// createQueue creates name and its dead-letter queue, returning name's URL.
func createQueue(t *testing.T, client *sqs.Client, name string) string {
	t.Helper()
	var url string
	for _, n := range []string{name + "-dlq", name} {
		out, err := client.CreateQueue(t.Context(), &sqs.CreateQueueInput{QueueName: aws.String(n)})
		if err != nil {
			t.Fatalf("create queue %s: %v", n, err)
		}
		url = aws.ToString(out.QueueUrl)
	}
	return url
}

// opRecorder is a DynamoDB client that notes every operation it performs,
// so tests can prove a listing never scans.
type opRecorder struct {
	mu  sync.Mutex
	ops []string
}

func (r *opRecorder) client(db *dynamodb.Client) *dynamodb.Client {
	return dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordOp",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					r.mu.Lock()
					r.ops = append(r.ops, awsmiddleware.GetOperationName(ctx))
					r.mu.Unlock()
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		})
	})
}

func (r *opRecorder) seen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.ops, ",")
}

// signer issues real RS256 tokens that its verifier accepts.
type signer struct {
	key *rsa.PrivateKey
	kid string
	cfg token.Config
}

func newSigner(t *testing.T) *signer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &signer{key: key, kid: "kid-" + uuid.NewString(), cfg: token.Config{Issuer: "comanda", Audience: "comanda-api"}}
}

func (s *signer) verifier() *token.Verifier {
	return token.NewVerifier(s.cfg, map[string]*rsa.PublicKey{s.kid: &s.key.PublicKey})
}

func (s *signer) token(t *testing.T, role string) string {
	t.Helper()
	now := time.Now()
	claims := token.Claims{Role: role, Name: "Test " + role, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: s.cfg.Issuer, Audience: jwt.ClaimStrings{s.cfg.Audience}, Subject: uuid.NewString(),
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
	}}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = s.kid
	raw, err := tok.SignedString(s.key)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
