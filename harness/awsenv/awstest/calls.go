package awstest

import (
	"context"
	"slices"
	"strings"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// Calls records the operations (GetItem, BatchWriteItem…) of the AWS
// clients it is added to, so that a test can say which calls a piece of
// code costs. It is safe for concurrent use.
type Calls struct {
	mu  sync.Mutex
	ops []string
}

// DynamoDB returns a copy of db whose every call c records.
func (c *Calls) DynamoDB(db *dynamodb.Client) *dynamodb.Client {
	return dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(slices.Clip(o.APIOptions), c.record)
	})
}

func (c *Calls) record(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("awstest.Calls",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			c.mu.Lock()
			c.ops = append(c.ops, awsmiddleware.GetOperationName(ctx))
			c.mu.Unlock()
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// Seen returns the operations so far, in order, comma separated.
func (c *Calls) Seen() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.ops, ",")
}

// Take returns how many times each operation was called so far, and
// starts counting again from zero.
func (c *Calls) Take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := map[string]int{}
	for _, op := range c.ops {
		n[op]++
	}
	c.ops = nil
	return n
}
