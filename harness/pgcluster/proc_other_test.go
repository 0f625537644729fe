//go:build !linux

package pgcluster

import "testing"

// processesIn needs /proc; elsewhere the postmaster pid check has to do.
func processesIn(t *testing.T, dir string) []string { return nil }
