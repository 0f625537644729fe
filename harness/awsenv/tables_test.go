package awsenv

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/topology"
)

// Every table takes an item with its keys and finds it again through each
// of its global secondary indexes.
func TestTablesAndIndexes(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	for _, tb := range topology.MustLoad().Tables {
		t.Run(tb.Name, func(t *testing.T) {
			t.Parallel()
			item := map[string]types.AttributeValue{}
			keys := []string{tb.HashKey, tb.RangeKey}
			for _, ix := range tb.Indexes {
				keys = append(keys, ix.HashKey, ix.RangeKey)
			}
			for _, k := range keys {
				if k != "" {
					item[k] = &types.AttributeValueMemberS{Value: k + "-" + NewPrefix()}
				}
			}
			table := aws.String(env.Tables[tb.Name])
			if _, err := env.Clients.DynamoDB.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: table, Item: item}); err != nil {
				t.Fatalf("PutItem: %v", err)
			}
			for _, ix := range tb.Indexes {
				in := indexQuery(table, ix, item)
				// Indexes are eventually consistent in AWS.
				eventually(t, 10*time.Second, "query "+ix.Name, func() bool {
					out, err := env.Clients.DynamoDB.Query(t.Context(), in)
					if err != nil {
						t.Fatalf("Query %s: %v", ix.Name, err)
					}
					return len(out.Items) == 1 && out.Items[0][tb.HashKey].(*types.AttributeValueMemberS).Value ==
						item[tb.HashKey].(*types.AttributeValueMemberS).Value
				})
			}
		})
	}
}

// indexQuery asks index ix for the item by the index's own keys.
func indexQuery(table *string, ix topology.Index, item map[string]types.AttributeValue) *dynamodb.QueryInput {
	in := &dynamodb.QueryInput{
		TableName:                 table,
		IndexName:                 aws.String(ix.Name),
		KeyConditionExpression:    aws.String("#h = :h"),
		ExpressionAttributeNames:  map[string]string{"#h": ix.HashKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": item[ix.HashKey]},
	}
	if ix.RangeKey != "" {
		in.KeyConditionExpression = aws.String("#h = :h AND #r = :r")
		in.ExpressionAttributeNames["#r"] = ix.RangeKey
		in.ExpressionAttributeValues[":r"] = item[ix.RangeKey]
	}
	return in
}
