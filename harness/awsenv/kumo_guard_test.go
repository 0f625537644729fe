package awsenv

import (
	"context"
	"strings"
	"sync"
	"testing"

	"net/http/httputil"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// TestConcurrentSecretReads is what every harness boot does: five services
// read the project secret at once. Under -race it fails if the guard in
// front of kumo does not serialize GetSecretValue.
func TestConcurrentSecretReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := StartEmulator()
	defer emu.Close()
	clients, err := awsconf.New(ctx, awsconf.Config{Region: "us-east-1", Endpoint: emu.URL()})
	if err != nil {
		t.Fatal(err)
	}
	name := NewPrefix() + "secret"
	if _, err := clients.SecretsManager.CreateSecret(ctx, &secretsmanager.CreateSecretInput{
		Name: aws.String(name), SecretString: aws.String(`{"k":"v"}`),
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			out, err := clients.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name)})
			if err != nil || aws.ToString(out.SecretString) != `{"k":"v"}` {
				t.Errorf("GetSecretValue = %v, %v", out, err)
			}
		})
	}
	wg.Wait()
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
