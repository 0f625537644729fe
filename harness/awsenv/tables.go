package awsenv

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/topology"
)

// table makes t on demand billing, with its global secondary indexes
// projecting every attribute, and waits until it is active.
func (p *provisioner) table(ctx context.Context, t topology.Table) error {
	name := p.prefix + t.Name
	_, err := p.c.DynamoDB.CreateTable(ctx, createTableInput(name, t))
	switch {
	case err == nil:
		p.made(kindTable, name)
	case hasCode(err, "ResourceInUseException"):
		// Made before: idempotent.
	default:
		return fmt.Errorf("create table %s: %w", name, err)
	}
	waiter := dynamodb.NewTableExistsWaiter(p.c.DynamoDB, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 2*time.Second
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 2*time.Minute); err != nil {
		return fmt.Errorf("wait for table %s: %w", name, err)
	}
	p.update(func(r *Resources) { r.Tables[t.Name] = name })
	return nil
}

func createTableInput(name string, t topology.Table) *dynamodb.CreateTableInput {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		KeySchema:   keySchema(t.HashKey, t.RangeKey),
	}
	seen := map[string]bool{}
	define := func(attrs ...string) {
		for _, a := range attrs {
			if a != "" && !seen[a] {
				seen[a] = true
				in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
					AttributeName: aws.String(a), AttributeType: types.ScalarAttributeTypeS,
				})
			}
		}
	}
	define(t.HashKey, t.RangeKey)
	for _, ix := range t.Indexes {
		define(ix.HashKey, ix.RangeKey)
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
			IndexName:  aws.String(ix.Name),
			KeySchema:  keySchema(ix.HashKey, ix.RangeKey),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		})
	}
	return in
}

func keySchema(hash, rng string) []types.KeySchemaElement {
	ks := []types.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash}}
	if rng != "" {
		ks = append(ks, types.KeySchemaElement{AttributeName: aws.String(rng), KeyType: types.KeyTypeRange})
	}
	return ks
}
