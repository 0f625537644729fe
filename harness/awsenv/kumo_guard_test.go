package awsenv

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// racyCalls make, for each action that kumo v0.33.1 serves with a data
// race (guardedActions), a call on a resource of its own, which the test
// repeats from several goroutines at once.
var racyCalls = map[string]func(ctx context.Context, t *testing.T, c awsconf.Clients) func(context.Context) error{
	// Every harness boot: five services read the project secret at once.
	"secretsmanager.GetSecretValue": func(ctx context.Context, t *testing.T, c awsconf.Clients) func(context.Context) error {
		name := NewPrefix() + "secret"
		if _, err := c.SecretsManager.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
			Name: aws.String(name), SecretString: aws.String(`{"k":"v"}`),
		}); err != nil {
			t.Fatal(err)
		}
		return func(ctx context.Context) error {
			out, err := c.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
			if err == nil && aws.ToString(out.SecretString) != `{"k":"v"}` {
				err = fmt.Errorf("secret = %q", aws.ToString(out.SecretString))
			}
			return err
		}
	},
	// The readiness checks of a service's replicas, or of the gateway's
	// health polls, describe its table at once.
	"DynamoDB_20120810.DescribeTable": func(ctx context.Context, t *testing.T, c awsconf.Clients) func(context.Context) error {
		name := NewPrefix() + "table"
		if _, err := c.DynamoDB.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(name),
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
			BillingMode:          types.BillingModePayPerRequest,
		}); err != nil {
			t.Fatal(err)
		}
		return func(ctx context.Context) error {
			_, err := c.DynamoDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			return err
		}
	},
}

// Each action kumo races on is called from eight goroutines at once, a
// few times each, in-process as the harness calls kumo: with no socket
// between them, nothing orders two calls but kumo and the guard, so under
// -race this fails for any of them that the guard does not serialize.
func TestConcurrentCallsOfRacyActions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := StartEmulator()
	defer emu.Close()
	viaSockets, err := awsconf.New(ctx, awsconf.Config{Region: "us-east-1", Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	in := inProcess{emu.Handler()}
	clients := awsconf.Clients{
		DynamoDB:       dynamodb.New(viaSockets.DynamoDB.Options(), func(o *dynamodb.Options) { o.HTTPClient = in }),
		SecretsManager: secretsmanager.New(viaSockets.SecretsManager.Options(), func(o *secretsmanager.Options) { o.HTTPClient = in }),
	}
	for _, action := range guardedActions {
		if _, ok := racyCalls[action]; !ok {
			t.Errorf("guarded action %s has no call in racyCalls to prove the guard needed", action)
		}
	}
	for action, prepare := range racyCalls {
		t.Run(action, func(t *testing.T) {
			call := prepare(ctx, t, clients)
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					for range 5 {
						if err := call(ctx); err != nil {
							t.Errorf("%s: %v", action, err)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

// inProcess is an HTTP client for the SDK that has h serve each request on
// the calling goroutine.
type inProcess struct{ h http.Handler }

func (c inProcess) Do(r *http.Request) (*http.Response, error) {
	in := r.Clone(r.Context())
	in.RequestURI = r.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, in)
	res := w.Result()
	res.Request = r
	return res, nil
}

// StartEmulatorAt serves on the address asked for, and says so when it is taken.
func TestStartEmulatorAt(t *testing.T) {
	t.Parallel()
	emu, err := StartEmulatorAt("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	clients, err := awsconf.New(t.Context(), awsconf.Config{Region: "us-east-1", Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	alias := "alias/" + NewPrefix() + "jwt"
	id, err := SigningKey(t.Context(), clients, alias)
	if err != nil {
		t.Fatalf("SigningKey: %v", err)
	}
	if again, err := SigningKey(t.Context(), clients, alias); err != nil || again != id {
		t.Errorf("SigningKey again = %q, %v; want the same key %q", again, err, id)
	}
	taken := strings.TrimPrefix(emu.URL(), "http://")
	if other, err := StartEmulatorAt(taken); err == nil {
		other.Close()
		t.Errorf("StartEmulatorAt(%s) succeeded on a taken address", taken)
	}
}

// The guard calls kumo in-process: with the kumo in go.mod, its handler is
// found, so a call to the emulator is one HTTP exchange and not two.
func TestKumoHandlerIsReachable(t *testing.T) {
	t.Parallel()
	emu := StartEmulator()
	defer emu.Close()
	if kumoHandler(emu.srv) == nil {
		t.Fatalf("kumo %s keeps its handler where kumoHandler does not look; every emulator call now takes an extra hop", kumoVersion)
	}
	if _, proxied := emu.guard.next.(*httputil.ReverseProxy); proxied {
		t.Error("the guard proxies to kumo's listener though its handler is reachable")
	}
}
