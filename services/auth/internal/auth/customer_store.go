package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/comanda/comanda/services/platform/dynamo"
)

// TaxIDIndex is the customers table's global secondary index on tax_id.
const TaxIDIndex = "tax_id-index"

// createAttempts bounds retries of a registration whose transaction was
// cancelled by a concurrent one (TransactionConflict) rather than by a guard.
const createAttempts = 3

// DynamoDB is the part of the DynamoDB API the customer store uses.
type DynamoDB interface {
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
}

// store keeps customers in one DynamoDB table. Each customer item
// has a companion guard item, id "tax_id#<cpf>", written in the same
// transaction under attribute_not_exists(id): the guard makes a CPF unique
// even under concurrent registrations, which a GSI alone cannot. Guards have
// no tax_id attribute, so they stay out of the tax_id index.
type store struct {
	db    DynamoDB
	table string
}

// newStore returns a store over table.
func newStore(db DynamoDB, table string) *store {
	return &store{db: db, table: table}
}

type customerItem struct {
	ID        string `dynamodbav:"id"`
	TaxID     string `dynamodbav:"tax_id"`
	Name      string `dynamodbav:"name"`
	Email     string `dynamodbav:"email"`
	CreatedAt string `dynamodbav:"created_at"`
}

type guardItem struct {
	ID         string `dynamodbav:"id"`
	CustomerID string `dynamodbav:"customer_id"`
}

func guardID(cpf CPF) string { return "tax_id#" + string(cpf) }

// Create stores c; ErrCustomerExists when its CPF is taken.
func (s *store) Create(ctx context.Context, c Customer) error {
	for attempt := 1; ; attempt++ {
		err := s.put(ctx, c)
		if err == nil || !dynamo.TransactionCanceled(err) {
			return err
		}
		// Cancelled: either the guard exists (a duplicate) or another
		// transaction touched it at the same time (retry, then decide).
		if _, found, gerr := s.guardOwner(ctx, c.TaxID); gerr != nil {
			return gerr
		} else if found {
			return ErrCustomerExists
		}
		if attempt == createAttempts {
			return fmt.Errorf("create customer: %w", err)
		}
		if err := sleep(ctx, time.Duration(attempt)*20*time.Millisecond); err != nil {
			return err
		}
	}
}

func (s *store) put(ctx context.Context, c Customer) error {
	customer, err := attributevalue.MarshalMap(customerItem{
		ID: c.ID, TaxID: string(c.TaxID), Name: c.Name, Email: c.Email,
		CreatedAt: time.Now().UTC().Format(time.RFC3339),
	})
	if err != nil {
		return fmt.Errorf("marshal customer: %w", err)
	}
	guard, err := attributevalue.MarshalMap(guardItem{ID: guardID(c.TaxID), CustomerID: c.ID})
	if err != nil {
		return fmt.Errorf("marshal tax_id guard: %w", err)
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		TransactItems: []types.TransactWriteItem{s.putNew(customer), s.putNew(guard)},
	})
	if err != nil {
		return fmt.Errorf("create customer: %w", err)
	}
	return nil
}

func (s *store) putNew(item map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(s.table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(id)"),
	}}
}

// FindByTaxID returns the customer with cpf, or ErrCustomerNotFound. It asks
// the tax_id index; since an index is only eventually consistent, a miss is
// confirmed by a consistent read of the guard, so a customer can get a token
// right after registering.
func (s *store) FindByTaxID(ctx context.Context, cpf CPF) (Customer, error) {
	c, found, err := s.queryTaxID(ctx, cpf)
	if err != nil || found {
		return c, err
	}
	id, found, err := s.guardOwner(ctx, cpf)
	if err != nil {
		return Customer{}, err
	}
	if !found {
		return Customer{}, ErrCustomerNotFound
	}
	return s.get(ctx, id)
}

func (s *store) queryTaxID(ctx context.Context, cpf CPF) (Customer, bool, error) {
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(TaxIDIndex),
		KeyConditionExpression:    aws.String("tax_id = :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberS{Value: string(cpf)}},
	})
	if err != nil {
		return Customer{}, false, fmt.Errorf("query customers by tax_id: %w", err)
	}
	if len(out.Items) == 0 {
		return Customer{}, false, nil
	}
	c, err := decodeCustomer(out.Items[0])
	return c, err == nil, err
}

func (s *store) get(ctx context.Context, id string) (Customer, error) {
	out, err := s.getItem(ctx, id)
	if err != nil {
		return Customer{}, err
	}
	if out == nil {
		return Customer{}, ErrCustomerNotFound
	}
	return decodeCustomer(out)
}

// guardOwner returns the id of the customer holding cpf, read consistently.
func (s *store) guardOwner(ctx context.Context, cpf CPF) (string, bool, error) {
	item, err := s.getItem(ctx, guardID(cpf))
	if err != nil || item == nil {
		return "", false, err
	}
	var g guardItem
	if err := attributevalue.UnmarshalMap(item, &g); err != nil {
		return "", false, fmt.Errorf("decode tax_id guard: %w", err)
	}
	return g.CustomerID, true, nil
}

func (s *store) getItem(ctx context.Context, id string) (map[string]types.AttributeValue, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("get customer item %s: %w", id, err)
	}
	return out.Item, nil
}

func decodeCustomer(item map[string]types.AttributeValue) (Customer, error) {
	var c customerItem
	if err := attributevalue.UnmarshalMap(item, &c); err != nil {
		return Customer{}, fmt.Errorf("decode customer: %w", err)
	}
	return Customer{ID: c.ID, TaxID: CPF(c.TaxID), Name: c.Name, Email: c.Email}, nil
}

// Ping checks that the customers table is reachable.
func (s *store) Ping(ctx context.Context) error { return dynamo.Ping(ctx, s.db, s.table) }

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
