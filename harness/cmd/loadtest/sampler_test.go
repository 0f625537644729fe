package main

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

// fakeProcs is a process table the test edits between samples.
type fakeProcs struct {
	mu       sync.Mutex
	procs    []procStat
	sizes    map[int32]uint64 // PSS in MiB by pid, and RSS for the root
	anon     map[int32]uint64 // anonymous resident MiB by pid, when not mem
	text     map[int32]uint64 // code size by pid, 0 when absent
	fail     error
	reads    map[int32]int // stat calls by pid
	pssReads int
}

const fakeRoot = 10

func (f *fakeProcs) set(procs []procStat, mem map[int32]uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.procs, f.sizes = procs, mem
}

func (f *fakeProcs) pids() ([]int32, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pids := make([]int32, len(f.procs))
	for i, p := range f.procs {
		pids[i] = p.key.pid
	}
	return pids, f.fail
}

func (f *fakeProcs) stat(pid int32) (procStat, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reads == nil {
		f.reads = map[int32]int{}
	}
	f.reads[pid]++
	for _, p := range f.procs {
		if p.key.pid == pid {
			return p, nil
		}
	}
	return procStat{}, errors.New("no such process")
}

// mem gives sizes as the resident memory, all anonymous unless anon says.
func (f *fakeProcs) mem(pid int32) (procMem, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.sizes[pid]
	if !ok {
		return procMem{}, errors.New("no such process")
	}
	anon, ok := f.anon[pid]
	if !ok {
		anon = m
	}
	return procMem{resident: m << 20, anon: anon << 20, text: f.text[pid]}, nil
}

func (f *fakeProcs) pss(pid int32) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pssReads++
	m, ok := f.sizes[pid]
	if !ok {
		return 0, errors.New("no such process")
	}
	return m << 20, nil
}

// fakeProc is a process that used ticks hundredths of a second of CPU,
// started at 1 unless start says otherwise.
func fakeProc(pid, ppid int32, ticks int, start ...int64) procStat {
	k := procKey{pid: pid, start: 1}
	if len(start) > 0 {
		k.start = start[0]
	}
	return procStat{key: k, ppid: ppid, cpu: float64(ticks) / 100}
}

// sampleNow takes one sample between marks, as the ticker would.
func sampleNow(s *sampler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sampleLocked()
}

func TestSamplerCPUFollowsTheTree(t *testing.T) {
	t.Parallel()
	f := &fakeProcs{}
	// The root 10 has a child 20, which has a child 30; 99 is a stranger.
	f.set([]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 100), fakeProc(20, fakeRoot, 50), fakeProc(30, 20, 5), fakeProc(99, 1, 1000)}, nil)
	s := startSamplerFrom(f, fakeRoot, time.Hour)
	defer s.stop()

	steps := []struct {
		name  string
		procs []procStat
		want  float64 // CPU seconds since the previous step
	}{
		{"everyone busy, the stranger not counted",
			[]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 110), fakeProc(20, fakeRoot, 70), fakeProc(30, 20, 25), fakeProc(99, 1, 5000)},
			0.50}, // 10 + 20 + 20 ticks
		{"30 exits, 20 does 10 more",
			[]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 110), fakeProc(20, fakeRoot, 80)},
			0.10}, // 30 keeps its 25 ticks; what it did after the last sample is not seen
		{"20 starts 40",
			[]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 110), fakeProc(20, fakeRoot, 80), fakeProc(40, 20, 20)},
			0.20},
		{"20 dies, its pid at once reused by a new child of the root; 40 is orphaned to init and burns on",
			[]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 115), fakeProc(20, fakeRoot, 3, 777), fakeProc(40, 1, 900)},
			0.08}, // the root's 5 and the new 20's 3; what 40 did outside the tree is not ours
		{"nothing moves",
			[]procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 115), fakeProc(20, fakeRoot, 3, 777), fakeProc(40, 1, 950)},
			0},
	}
	for _, step := range steps {
		f.set(step.procs, nil)
		if got := s.mark().CPUSeconds; math.Abs(got-step.want) > 1e-9 {
			t.Errorf("%s: CPUSeconds = %v, want %v", step.name, got, step.want)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reads[99] != 1 || f.reads[40] != 2 {
		t.Errorf("stat read %d times for the stranger 99, want once; %d times for 40, want twice: inside and on leaving", f.reads[99], f.reads[40])
	}
}

func TestSamplerPeakMemory(t *testing.T) {
	t.Parallel()
	f := &fakeProcs{}
	procs := []procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 0), fakeProc(20, fakeRoot, 0), fakeProc(30, 20, 0), fakeProc(99, 1, 0)}
	f.set(procs, map[int32]uint64{fakeRoot: 100, 20: 20, 30: 10, 99: 5000})
	s := startSamplerFrom(f, fakeRoot, time.Hour)
	defer s.stop()

	f.set(procs, map[int32]uint64{fakeRoot: 300, 20: 20, 30: 10, 99: 5000})
	sampleNow(s)
	f.set(procs, map[int32]uint64{fakeRoot: 150, 20: 60, 30: 10, 99: 5000})
	sampleNow(s)
	f.set(procs, map[int32]uint64{fakeRoot: 120, 20: 20}) // 30 gone meanwhile
	want := usage{PeakRSSMB: 330, SelfPeakRSSMB: 300, ChildPeakRSSMB: 70}
	if got := s.mark(); got != want {
		t.Errorf("first span: %+v, want %+v", got, want)
	}
	// The next span starts at the memory of the mark, not at zero.
	f.set(procs, map[int32]uint64{fakeRoot: 110, 20: 10})
	want = usage{PeakRSSMB: 140, SelfPeakRSSMB: 120, ChildPeakRSSMB: 20}
	if got := s.mark(); got != want {
		t.Errorf("second span: %+v, want %+v", got, want)
	}
}

func TestSamplerEstimatesPSSBetweenReads(t *testing.T) {
	t.Parallel()
	f := &fakeProcs{}
	procs := []procStat{fakeProc(1, 0, 0), fakeProc(fakeRoot, 1, 0), fakeProc(20, fakeRoot, 0), fakeProc(30, fakeRoot, 0), fakeProc(40, fakeRoot, 0)}
	pss := map[int32]uint64{fakeRoot: 100, 20: 10, 30: 10, 40: 10}
	anon := map[int32]uint64{20: 4, 30: 4, 40: 4}
	f.set(procs, pss)
	f.anon = anon
	s := newSampler(f, fakeRoot, 100*time.Millisecond) // one PSS read per sample for three children; samples only when marked

	steps := []struct {
		name   string
		change func()
		want   float64 // ChildPeakRSSMB
	}{
		{"40 allocates 20 MiB, seen at once though 20 is the one read", func() { pss[40], anon[40] = 30, 24 }, 50},
		{"40 touches shared pages, unseen while 30 is read", func() { pss[40] = 35 }, 50},
		{"40's turn to be read", func() {}, 55},
	}
	for _, step := range steps {
		f.mu.Lock()
		step.change()
		f.mu.Unlock()
		if got := s.mark().ChildPeakRSSMB; got != step.want {
			t.Errorf("%s: ChildPeakRSSMB = %v, want %v", step.name, got, step.want)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.pssReads != 3+len(steps) {
		t.Errorf("%d PSS reads, want 3 at the start and one per sample since", f.pssReads)
	}
}

func TestSamplerSkipsVforkChildMemory(t *testing.T) {
	t.Parallel()
	f := &fakeProcs{}
	f.set([]procStat{
		fakeProc(1, 0, 0),
		fakeProc(fakeRoot, 1, 0),
		fakeProc(20, fakeRoot, 0), // vfork'd, not yet exec'd: shares our memory
		fakeProc(30, fakeRoot, 0), // the postmaster
		fakeProc(31, 30, 0),       // a backend, forked: its PSS is its own share
	}, map[int32]uint64{fakeRoot: 100, 20: 100, 30: 40, 31: 8})
	f.text = map[int32]uint64{fakeRoot: 1000, 20: 1000, 30: 5000, 31: 5000}
	s := startSamplerFrom(f, fakeRoot, time.Hour)
	want := usage{PeakRSSMB: 148, SelfPeakRSSMB: 100, ChildPeakRSSMB: 48}
	if got := s.stop(); got != want {
		t.Errorf("usage %+v, want %+v", got, want)
	}
}

func TestSamplerReportsUnreadableProcesses(t *testing.T) {
	t.Parallel()
	f := &fakeProcs{fail: errors.New("proc not mounted")}
	s := startSamplerFrom(f, fakeRoot, time.Hour)
	if got := s.stop(); got != (usage{}) {
		t.Errorf("usage %+v, want zeros", got)
	}
	if s.err() == nil {
		t.Error("no error reported")
	}
	if s.samples != 2 {
		t.Errorf("%d samples, want 2 (start and stop)", s.samples)
	}
}

func TestDescendants(t *testing.T) {
	t.Parallel()
	procs := []procStat{fakeProc(1, 0, 0), fakeProc(5, 1, 0), fakeProc(fakeRoot, 5, 0), fakeProc(12, fakeRoot, 0), fakeProc(13, 12, 0), fakeProc(14, 13, 0), fakeProc(15, 1, 0)}
	var got []int32
	for _, p := range descendants(procs, fakeRoot) {
		got = append(got, p.key.pid)
	}
	if want := []int32{fakeRoot, 12, 13, 14}; !slices.Equal(got, want) {
		t.Errorf("descendants = %v, want %v", got, want)
	}
	if got := descendants(procs, 404); got != nil {
		t.Errorf("descendants of a missing root = %v, want none", got)
	}
}
