package payment

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/comanda/comanda/services/platform/dynamo"
)

// RecordReversal notes on payment id that Mercado Pago reports its money
// going back (mpStatus: refunded, charged_back, in_mediation), if the
// payment is APPROVED with Mercado Pago payment providerID. It reports
// whether it did; a payment in any other state is left as it is. Recording
// the same reversal again changes nothing that matters.
func (s *store) RecordReversal(ctx context.Context, id string, providerID int64, mpStatus string, at time.Time) (bool, error) {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                aws.String(s.table),
		Key:                      dynamo.Key(id),
		UpdateExpression:         aws.String("SET reversal = :reversal, updated_at = :at"),
		ConditionExpression:      aws.String("#status = :approved AND provider_payment_id = :provider"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":reversal": &types.AttributeValueMemberS{Value: mpStatus},
			":at":       &types.AttributeValueMemberS{Value: at.UTC().Format(time.RFC3339Nano)},
			":approved": &types.AttributeValueMemberS{Value: string(StatusApproved)},
			":provider": &types.AttributeValueMemberN{Value: strconv.FormatInt(providerID, 10)},
		},
	})
	switch {
	case dynamo.ConditionFailed(err):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("record %s on payment %s: %w", mpStatus, id, err)
	}
	return true, nil
}
