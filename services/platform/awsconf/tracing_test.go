package awsconf_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/awsconf"
)

func TestMain(m *testing.M) { awstest.Main(m) }

// With tracers, every AWS call is a client span named <service>.<operation>,
// child of the span it was made in.
func TestCallsAreSpans(t *testing.T) {
	t.Parallel()
	cfg, _ := awstest.Clients(t)
	rec := tracetest.NewSpanRecorder()
	tracers := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	cfg.Tracers = tracers
	clients, err := awsconf.New(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, parent := tracers.Tracer("test").Start(t.Context(), "handle")
	if _, err := clients.DynamoDB.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		t.Fatal(err)
	}
	parent.End()
	spans := rec.Ended()
	if len(spans) != 2 || spans[0].Name() != "DynamoDB.ListTables" || spans[0].Parent().SpanID() != parent.SpanContext().SpanID() {
		var names []string
		for _, s := range spans {
			names = append(names, s.Name())
		}
		t.Fatalf("spans %v; want DynamoDB.ListTables, child of handle", names)
	}
	attrs := map[string]string{}
	for _, kv := range spans[0].Attributes() {
		attrs[string(kv.Key)] = kv.Value.String()
	}
	if attrs["rpc.system"] != "aws-api" || attrs["rpc.service"] != "DynamoDB" || attrs["rpc.method"] != "ListTables" {
		t.Errorf("the call's span says %v", attrs)
	}
}
