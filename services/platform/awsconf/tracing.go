package awsconf

import (
	"context"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
)

// traced makes a client span of every call of a client, named
// "<service>.<operation>" (DynamoDB.PutItem, SQS.SendMessageBatch), with
// OpenTelemetry's RPC attributes and AWS's request id: one span for the
// call, its retries included.
func traced(tracers trace.TracerProvider) func(*middleware.Stack) error {
	tracer := tracers.Tracer("github.com/comanda/comanda/services/platform/awsconf")
	span := middleware.InitializeMiddlewareFunc("comanda.trace", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		service, operation := awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx)
		ctx, span := tracer.Start(ctx, service+"."+operation, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithAttributes(semconv.RPCSystemKey.String("aws-api"), semconv.RPCService(service), semconv.RPCMethod(operation)))
		defer span.End()
		out, md, err := next.HandleInitialize(ctx, in)
		if id, ok := awsmiddleware.GetRequestIDMetadata(md); ok {
			span.SetAttributes(semconv.AWSRequestID(id))
		}
		if err != nil {
			span.RecordError(err)
			span.SetStatus(codes.Error, "the call failed")
		}
		return out, md, err
	})
	return func(stack *middleware.Stack) error {
		// After the SDK's own initialize steps, which name the service and
		// the operation.
		return stack.Initialize.Add(span, middleware.After)
	}
}
