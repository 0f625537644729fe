package pgcluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// processesIn lists the processes whose working directory is dir or below:
// postgres and every one of its children work in the data directory.
func processesIn(t *testing.T, dir string) []string {
	t.Helper()
	cwds, err := filepath.Glob("/proc/[0-9]*/cwd")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, cwd := range cwds {
		target, err := os.Readlink(cwd)
		if err != nil {
			continue // gone meanwhile, or not ours to see
		}
		target = strings.TrimSuffix(target, " (deleted)")
		if target == dir || strings.HasPrefix(target, dir+"/") {
			found = append(found, filepath.Base(filepath.Dir(cwd)))
		}
	}
	return found
}
