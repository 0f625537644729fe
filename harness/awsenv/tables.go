package awsenv

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/topology"
)

// CreateTable makes table t of the topology under name, as Provision makes
// it, and waits until it is active. Tests use it for tables of their own.
func CreateTable(ctx context.Context, c awsconf.Clients, t topology.Table, name string) error {
	_, err := createTable(ctx, c.DynamoDB, t, name)
	return err
}

// table makes t under the prefix and records it.
func (p *provisioner) table(ctx context.Context, t topology.Table) error {
	name := p.prefix + t.Name
	made, err := createTable(ctx, p.c.DynamoDB, t, name)
	if made {
		p.made(kindTable, name)
	}
	if err != nil {
		return err
	}
	p.update(func(r *Resources) { r.Tables[t.Name] = name })
	return nil
}

// createTable makes t as name on demand billing, with its global secondary
// indexes projecting every attribute, and waits until it is active. made
// says whether it made the table, which it did not if the table existed.
func createTable(ctx context.Context, db *dynamodb.Client, t topology.Table, name string) (made bool, err error) {
	_, err = db.CreateTable(ctx, createTableInput(name, t))
	switch {
	case err == nil:
		made = true
	case hasCode(err, "ResourceInUseException"):
		// Made before: idempotent.
	default:
		return false, fmt.Errorf("create table %s: %w", name, err)
	}
	waiter := dynamodb.NewTableExistsWaiter(db, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 2*time.Second
	})
	if err := waiter.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 2*time.Minute); err != nil {
		return made, fmt.Errorf("wait for table %s: %w", name, err)
	}
	return made, nil
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
