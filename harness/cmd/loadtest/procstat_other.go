//go:build !linux

package main

import "errors"

// clockTicksPerSecond only gives the ticks a unit: there are none to count
// where there is no /proc.
const clockTicksPerSecond = 100

// noProcs stands in for /proc where there is none: the sampler then reports
// zeros, and says why through err.
type noProcs struct{}

func newProcSource() procSource { return noProcs{} }

var errNoProc = errors.New("CPU and memory sampling needs Linux's /proc")

func (noProcs) pids() ([]int, error)            { return nil, errNoProc }
func (noProcs) stat(int) (procStat, error)      { return procStat{}, errNoProc }
func (noProcs) rss(int) (uint64, uint64, error) { return 0, 0, errNoProc }
func (noProcs) pss(int) (uint64, error)         { return 0, errNoProc }
