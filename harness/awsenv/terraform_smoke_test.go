package awsenv

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/comanda/comanda/services/platform/awsconf"
	"github.com/comanda/comanda/services/platform/token"
	"github.com/comanda/comanda/services/topology"
)

// smokeOutputs are the emulator profile's outputs (terraform output -json).
type smokeOutputs struct {
	ListenerRules map[string]topology.ListenerRule
	QueueURLs     map[string]string
	DeadLetters   map[string]string
	TableNames    map[string]string
	SecretName    string
	KeyID         string
	Prefix        string
}

// TestTerraformSmoke is make tf-smoke's look at what Terraform made in the
// emulator from topology.json (the same file the harness provisions from):
// "made" after apply, "destroyed" after destroy. It is skipped elsewhere.
func TestTerraformSmoke(t *testing.T) {
	path, endpoint := os.Getenv("COMANDA_TF_SMOKE_OUTPUTS"), os.Getenv("COMANDA_TF_SMOKE_ENDPOINT")
	if path == "" || endpoint == "" {
		t.Skip("run by make tf-smoke, which sets COMANDA_TF_SMOKE_OUTPUTS and COMANDA_TF_SMOKE_ENDPOINT")
	}
	out := readSmokeOutputs(t, path)
	clients, err := awsconf.New(t.Context(), awsconf.Config{Region: "us-east-1", Endpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	top := topology.MustLoad()
	t.Run("made", func(t *testing.T) {
		checkListenerRules(t, top, out)
		checkQueues(t, clients, top, out)
		checkTables(t, clients, top, out)
		checkProjectSecret(t, clients, out)
	})
	t.Run("destroyed", func(t *testing.T) { checkNothingLeft(t, clients, out) })
}

func readSmokeOutputs(t *testing.T, path string) smokeOutputs {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]struct{ Value json.RawMessage }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	var out smokeOutputs
	for name, into := range map[string]any{
		"listener_rules": &out.ListenerRules, "queue_urls": &out.QueueURLs, "dead_letter_queue_urls": &out.DeadLetters,
		"table_names": &out.TableNames, "project_secret_name": &out.SecretName, "jwt_key_id": &out.KeyID,
		"resource_prefix": &out.Prefix,
	} {
		if err := json.Unmarshal(raw[name].Value, into); err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
	}
	return out
}

// The listener rules Terraform made are the ones topology.ListenerRules
// describes, which route as the gateway does (topology's tests).
func checkListenerRules(t *testing.T, top topology.Topology, out smokeOutputs) {
	var got []topology.ListenerRule
	for _, r := range out.ListenerRules {
		got = append(got, r)
	}
	slices.SortFunc(got, func(a, b topology.ListenerRule) int { return a.Priority - b.Priority })
	want := top.ListenerRules()
	gotJSON, _ := json.Marshal(got)
	wantJSON, _ := json.Marshal(want)
	if string(gotJSON) != string(wantJSON) {
		t.Errorf("listener rules made:\n%s\nwant (topology.ListenerRules):\n%s", gotJSON, wantJSON)
	}
}

func checkQueues(t *testing.T, c awsconf.Clients, top topology.Topology, out smokeOutputs) {
	ctx := t.Context()
	for _, q := range top.Queues.Names {
		dlq, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(out.Prefix + top.Queues.DeadLetterName(q))})
		if err != nil {
			t.Errorf("dead-letter queue of %s: %v", q, err)
			continue
		}
		attrs, err := c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(out.QueueURLs[q]), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
		})
		if err != nil {
			t.Errorf("queue %s (%s): %v", q, out.QueueURLs[q], err)
			continue
		}
		dlqARN, err := c.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
		})
		if err != nil {
			t.Fatal(err)
		}
		var policy struct {
			Target string      `json:"deadLetterTargetArn"`
			Max    json.Number `json:"maxReceiveCount"`
		}
		if err := json.Unmarshal([]byte(attrs.Attributes["RedrivePolicy"]), &policy); err != nil {
			t.Errorf("queue %s: redrive policy %q: %v", q, attrs.Attributes["RedrivePolicy"], err)
		}
		if policy.Target != dlqARN.Attributes["QueueArn"] || policy.Max.String() != strconv.Itoa(top.Queues.MaxReceiveCount) {
			t.Errorf("queue %s redrives to %s after %s receives; want %s after %d", q, policy.Target, policy.Max,
				dlqARN.Attributes["QueueArn"], top.Queues.MaxReceiveCount)
		}
		if v := attrs.Attributes["VisibilityTimeout"]; v != strconv.Itoa(top.Queues.VisibilityTimeoutSeconds) {
			t.Errorf("queue %s visibility timeout %s, want %d", q, v, top.Queues.VisibilityTimeoutSeconds)
		}
	}
}

// The emulator profile makes no indexes (kumo's GSIs never plan clean), so
// this checks names and keys; the harness's own test checks indexes.
func checkTables(t *testing.T, c awsconf.Clients, top topology.Topology, out smokeOutputs) {
	for _, tb := range top.Tables {
		name := out.Prefix + tb.Name
		if out.TableNames[tb.Name] != name {
			t.Errorf("table %s is named %q, want %q", tb.Name, out.TableNames[tb.Name], name)
		}
		got, err := c.DynamoDB.DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Errorf("table %s: %v", name, err)
			continue
		}
		var keys []string
		for _, k := range got.Table.KeySchema {
			keys = append(keys, string(k.KeyType)+":"+aws.ToString(k.AttributeName))
		}
		want := []string{"HASH:" + tb.HashKey}
		if tb.RangeKey != "" {
			want = append(want, "RANGE:"+tb.RangeKey)
		}
		if !slices.Equal(keys, want) {
			t.Errorf("table %s keys %v, want %v", name, keys, want)
		}
	}
}

// The project secret Terraform wrote is read by the services' own code, and
// its public key verifies what KMS signs with the key it names.
func checkProjectSecret(t *testing.T, c awsconf.Clients, out smokeOutputs) {
	ctx := t.Context()
	secret, err := token.LoadSecret(ctx, c.SecretsManager, out.SecretName)
	if err != nil {
		t.Fatalf("the services' LoadSecret: %v", err)
	}
	if secret.KeyID != out.KeyID {
		t.Errorf("secret names key %q, Terraform's output %q", secret.KeyID, out.KeyID)
	}
	pub, err := secret.PublicKey()
	if err != nil || pub.N.BitLen() != 2048 {
		t.Fatalf("secret's public key: %v (want RSA 2048)", err)
	}
	msg := []byte("header.payload")
	signed, err := c.KMS.Sign(ctx, &kms.SignInput{
		KeyId: aws.String(secret.KeyID), Message: msg,
		MessageType: kmstypes.MessageTypeRaw, SigningAlgorithm: kmstypes.SigningAlgorithmSpecRsassaPkcs1V15Sha256,
	})
	if err != nil {
		t.Fatalf("KMS Sign with the secret's key: %v", err)
	}
	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], signed.Signature); err != nil {
		t.Errorf("the secret's public key does not verify its key's signature: %v", err)
	}
	raw, err := c.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(out.SecretName)})
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(raw.SecretString)), &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"vpc_id", "api_id", "alb_arn", "listener_arn", "ecs_cluster_arn"} {
		if s, _ := fields[f].(string); s == "" {
			t.Errorf("project secret: %s is %v, want an id", f, fields[f])
		}
	}
}

func checkNothingLeft(t *testing.T, c awsconf.Clients, out smokeOutputs) {
	ctx := t.Context()
	queues, err := c.SQS.ListQueues(ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String(out.Prefix)})
	if err != nil || len(queues.QueueUrls) > 0 {
		t.Errorf("queues left: %v (%v)", queues.QueueUrls, err)
	}
	tables, err := c.DynamoDB.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if left := slices.DeleteFunc(tables.TableNames, func(n string) bool { return !strings.HasPrefix(n, out.Prefix) }); len(left) > 0 {
		t.Errorf("tables left: %v", left)
	}
	if _, err := c.SecretsManager.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(out.SecretName)}); err == nil {
		t.Errorf("secret %s left", out.SecretName)
	}
}
