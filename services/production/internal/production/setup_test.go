package production

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/logging"
)

// testLog is a logger for tests; set -v to see nothing more, logs are quiet.
func testLog() *slog.Logger { return logging.Discard() }

func TestMain(m *testing.M) { awstest.Main(m) }

// opRecorder is a DynamoDB client that notes every operation it performs,
// so tests can prove which calls a use case makes (a listing never scans,
// the outbox is emptied in batches).
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
