package production

import (
	"log/slog"
	"testing"

	"github.com/comanda/comanda/harness/awsenv/awstest"
	"github.com/comanda/comanda/services/platform/logging"
)

// testLog is a logger for tests; set -v to see nothing more, logs are quiet.
func testLog() *slog.Logger { return logging.Discard() }

func TestMain(m *testing.M) { awstest.Main(m) }
