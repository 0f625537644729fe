package main

import (
	"sync"

	"github.com/shirou/gopsutil/v4/process"
)

// machineProcs reads the machine's processes through gopsutil.
type machineProcs struct{}

// cacheBootTime spares every read of a process's stat a read of the boot
// time. The setting is gopsutil's global, unguarded: set once, before any
// read.
var cacheBootTime sync.Once

func newProcSource() procSource {
	cacheBootTime.Do(func() { process.EnableBootTimeCache(true) })
	return machineProcs{}
}

func (machineProcs) pids() ([]int32, error) { return process.Pids() }

func (machineProcs) stat(pid int32) (procStat, error) {
	p := &process.Process{Pid: pid}
	ppid, err := p.Ppid()
	if err != nil {
		return procStat{}, err
	}
	start, err := p.CreateTime()
	if err != nil {
		return procStat{}, err
	}
	t, err := p.Times()
	if err != nil {
		return procStat{}, err
	}
	return procStat{key: procKey{pid: pid, start: start}, ppid: ppid, cpu: t.User + t.System}, nil
}

func (machineProcs) mem(pid int32) (procMem, error) {
	m, err := (&process.Process{Pid: pid}).MemoryInfoEx()
	if err != nil {
		return procMem{}, err
	}
	return procMem{resident: m.RSS, anon: m.RSS - min(m.Shared, m.RSS), text: m.Text}, nil
}

// pss reads smaps_rollup, falling back to the RSS where it cannot be read
// (kernels before 4.14, or no permission to inspect the process).
func (machineProcs) pss(pid int32) (uint64, error) {
	p := &process.Process{Pid: pid}
	if maps, err := p.MemoryMaps(true); err == nil && len(*maps) == 1 {
		return (*maps)[0].Pss << 10, nil // kB
	}
	m, err := p.MemoryInfo()
	if err != nil {
		return 0, err
	}
	return m.RSS, nil
}
