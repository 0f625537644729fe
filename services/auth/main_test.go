package auth

import (
	"os"
	"testing"

	"github.com/sivchari/kumo"
)

// kumoURL is the one in-process AWS emulator all tests share: kumo keeps
// its state per process anyway, and kumo.NewServer is not safe to call
// from parallel tests (it rewires package state without a lock).
var kumoURL string

func TestMain(m *testing.M) {
	srv := kumo.NewServer()
	kumoURL = srv.URL
	code := m.Run()
	srv.Close()
	os.Exit(code)
}
