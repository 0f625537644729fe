package awsenv

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/comanda/comanda/services/topology"
)

// The harness provisions exactly what topology.json lists, the file
// Terraform reads too: no queue, table, index or secret field more or less.
func TestProvisionsExactlyTheTopology(t *testing.T) {
	t.Parallel()
	env := startEnv(t, Options{})
	top := topology.MustLoad()
	ctx := t.Context()

	var wantQueues []string
	for _, q := range top.Queues.Names {
		wantQueues = append(wantQueues, env.Prefix+q, env.Prefix+top.Queues.DeadLetterName(q))
	}
	listed, err := env.Clients.SQS.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(env.Prefix)})
	if err != nil {
		t.Fatalf("ListQueues: %v", err)
	}
	var gotQueues []string
	for _, url := range listed.QueueUrls {
		gotQueues = append(gotQueues, url[strings.LastIndex(url, "/")+1:])
	}
	assertSameSet(t, "queues", gotQueues, wantQueues)

	var wantTables []string
	for _, tb := range top.Tables {
		wantTables = append(wantTables, env.Prefix+tb.Name)
		checkTableShape(t, env, tb)
	}
	tables, err := env.Clients.DynamoDB.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	ours := slices.DeleteFunc(tables.TableNames, func(n string) bool { return !strings.HasPrefix(n, env.Prefix) })
	assertSameSet(t, "tables", ours, wantTables)

	checkSecretShape(t, env)
}

func checkTableShape(t *testing.T, env *Env, tb topology.Table) {
	t.Helper()
	out, err := env.Clients.DynamoDB.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(env.Prefix + tb.Name)})
	if err != nil {
		t.Fatalf("DescribeTable %s: %v", tb.Name, err)
	}
	keys := func(ks []types.KeySchemaElement) string {
		var parts []string
		for _, k := range ks {
			parts = append(parts, string(k.KeyType)+":"+aws.ToString(k.AttributeName))
		}
		return strings.Join(parts, ",")
	}
	if got, want := keys(out.Table.KeySchema), keys(keySchema(tb.HashKey, tb.RangeKey)); got != want {
		t.Errorf("table %s keys = %s, want %s", tb.Name, got, want)
	}
	got := map[string]string{}
	for _, ix := range out.Table.GlobalSecondaryIndexes {
		got[aws.ToString(ix.IndexName)] = keys(ix.KeySchema) + " " + string(ix.Projection.ProjectionType)
	}
	want := map[string]string{}
	for _, ix := range tb.Indexes {
		want[ix.Name] = keys(keySchema(ix.HashKey, ix.RangeKey)) + " ALL"
	}
	if !maps.Equal(got, want) {
		t.Errorf("table %s indexes = %v, want %v", tb.Name, got, want)
	}
}

// checkSecretShape: the project secret holds exactly the fields services
// read, naming an RSA 2048 signing key.
func checkSecretShape(t *testing.T, env *Env) {
	t.Helper()
	ctx := t.Context()
	got, err := env.Clients.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(env.SecretID)})
	if err != nil {
		t.Fatalf("GetSecretValue: %v", err)
	}
	var fields map[string]string
	if err := json.Unmarshal([]byte(aws.ToString(got.SecretString)), &fields); err != nil {
		t.Fatalf("decode secret: %v", err)
	}
	assertSameSet(t, "secret fields", slices.Collect(maps.Keys(fields)), []string{"jwt_key_id", "jwt_public_key_pem"})
	key, err := env.Clients.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(fields["jwt_key_id"])})
	if err != nil {
		t.Fatalf("DescribeKey: %v", err)
	}
	if m := key.KeyMetadata; m.KeySpec != kmstypes.KeySpecRsa2048 || m.KeyUsage != kmstypes.KeyUsageTypeSignVerify {
		t.Errorf("signing key is %s/%s, want RSA_2048/SIGN_VERIFY", m.KeySpec, m.KeyUsage)
	}
}

func assertSameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want exactly %v", what, got, want)
	}
}
