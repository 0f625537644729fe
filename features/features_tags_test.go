package features

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestWithTag(t *testing.T) {
	t.Parallel()
	tests := []struct{ expr, tag, want string }{
		{"", "~@serial", "~@serial"},
		{"  ", "@serial", "@serial"},
		{"@payment", "~@serial", "@payment && ~@serial"},
		{"@payment,@kitchen", "@serial", "@payment && @serial,@kitchen && @serial"},
		{"@payment && ~@slow, @menu", "~@serial", "@payment && ~@slow && ~@serial,@menu && ~@serial"},
	}
	for _, tt := range tests {
		if got := withTag(tt.expr, tt.tag); got != tt.want {
			t.Errorf("withTag(%q, %q) = %q, want %q", tt.expr, tt.tag, got, tt.want)
		}
	}
}

// scenariosTagged finds a tag on a scenario and on its feature, and
// nothing untagged.
func TestScenariosTagged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.feature", "Feature: A\n\n  @in-process\n  Scenario: one\n    Given x\n\n  Scenario: two\n    Given x\n")
	write("b.feature", "@in-process\nFeature: B\n\n  Scenario: three\n    Given x\n")
	write("notes.txt", "@in-process\n")
	got, err := scenariosTagged(dir, inProcessTag)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.feature") + ":4 one", filepath.Join(dir, "b.feature") + ":4 three"}
	if !slices.Equal(got, want) {
		t.Errorf("scenariosTagged = %q, want %q", got, want)
	}
}
