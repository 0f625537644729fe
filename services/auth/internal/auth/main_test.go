package auth

import (
	"testing"

	"github.com/comanda/comanda/harness/awsenv/awstest"
)

func TestMain(m *testing.M) { awstest.Main(m) }
