package main

import (
	"log/slog"
	"strings"
	"testing"
)

// SANDBOX_LOG_LEVEL takes slog's level names, in any case; anything else
// fails naming the setting.
func TestLogLevel(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "WARN": slog.LevelWarn, "error": slog.LevelError} {
		if got, err := logLevel(name); err != nil || got != want {
			t.Errorf("logLevel(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	if _, err := logLevel("loud"); err == nil || !strings.Contains(err.Error(), "SANDBOX_LOG_LEVEL") {
		t.Errorf("logLevel(%q) = %v; want an error naming SANDBOX_LOG_LEVEL", "loud", err)
	}
}
