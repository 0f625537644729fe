package main

import (
	"bufio"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/comanda/comanda/services/platform/awsconf"
)

// awsemu prints a URL that answers, with the signing key made, and stops
// when its context ends.
func TestRun(t *testing.T) {
	t.Setenv("AWSEMU_ADDR", "127.0.0.1:0")
	t.Setenv("AWSEMU_SIGNING_KEY_ALIAS", "alias/awsemu-test")
	ctx, cancel := context.WithCancel(t.Context())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, w) }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read URL: %v", err)
	}
	url := strings.TrimSpace(line)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("printed %q, want a loopback URL", url)
	}
	clients, err := awsconf.New(ctx, awsconf.Config{Region: "us-east-1", Endpoint: url})
	if err != nil {
		t.Fatal(err)
	}
	key, err := clients.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/awsemu-test")})
	if err != nil {
		t.Fatalf("DescribeKey: %v", err)
	}
	if key.KeyMetadata.KeySpec != kmstypes.KeySpecRsa2048 || key.KeyMetadata.KeyUsage != kmstypes.KeyUsageTypeSignVerify {
		t.Errorf("key is %s/%s, want RSA_2048/SIGN_VERIFY", key.KeyMetadata.KeySpec, key.KeyMetadata.KeyUsage)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not stop when its context ended")
	}
}
