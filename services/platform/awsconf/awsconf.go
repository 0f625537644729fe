// Package awsconf builds AWS SDK clients for real AWS or for an emulator.
// With an endpoint set (kumo, LocalStack) every client is sent there with
// static credentials, and DynamoDB response checksums are not validated,
// since emulators do not send them; without one, the SDK's default chain and
// endpoints apply, as in production. Unavailable tells the errors of an AWS
// that is unreachable or failing for now from those of a wrong call.
package awsconf

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"go.opentelemetry.io/otel/trace"
)

// Config says where AWS is. Endpoint is empty in production.
type Config struct {
	Region   string `env:"AWS_REGION, default=us-east-1"`
	Endpoint string `env:"AWS_ENDPOINT_URL"`
	// HTTPClient, when set (by the harness, which serves the emulator in the
	// same process), carries every call instead of a pool of connections.
	HTTPClient aws.HTTPClient
	// Tracers, when set (by the service's Run, while telemetry is on),
	// makes a client span of every AWS call.
	Tracers trace.TracerProvider
}

// Clients holds one client per AWS service the project uses.
type Clients struct {
	SQS            *sqs.Client
	DynamoDB       *dynamodb.Client
	KMS            *kms.Client
	SecretsManager *secretsmanager.Client
}

// New loads the SDK configuration and builds the clients.
func New(ctx context.Context, c Config) (Clients, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(c.Region), config.WithHTTPClient(httpClient())}
	if c.Endpoint != "" {
		opts = append(opts,
			config.WithBaseEndpoint(c.Endpoint),
			config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("emulator", "emulator", "")),
		)
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return Clients{}, fmt.Errorf("load AWS config: %w", err)
	}
	if c.Tracers != nil {
		cfg.APIOptions = append(cfg.APIOptions, traced(c.Tracers))
	}
	if c.HTTPClient != nil {
		// After loading: a CA bundle (AWS_CA_BUNDLE) is applied only to
		// the SDK's own client.
		cfg.HTTPClient = c.HTTPClient
	}
	emulated := c.Endpoint != ""
	return Clients{
		SQS: sqs.NewFromConfig(cfg),
		DynamoDB: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
			o.DisableValidateResponseChecksum = emulated
		}),
		KMS:            kms.NewFromConfig(cfg),
		SecretsManager: secretsmanager.NewFromConfig(cfg),
	}, nil
}

// maxIdlePerHost is how many idle connections the clients keep per AWS
// endpoint. The SDK's default of 10 is fewer than a busy service has calls
// in flight (eight consumer handlers, HTTP handlers, the outbox relay), and
// every connection over it is closed after its call and dialled again for
// the next.
const maxIdlePerHost = 64

// httpClient is the SDK's own client with a deeper idle pool.
func httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = max(t.MaxIdleConns, 4*maxIdlePerHost)
		t.MaxIdleConnsPerHost = maxIdlePerHost
	})
}
