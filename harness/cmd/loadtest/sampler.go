package main

import (
	"math"
	"os"
	"sync"
	"time"
)

// usage is what the system under test used over a span: this process and
// every process descended from it (the services it started, PostgreSQL's
// postmaster and its backends).
type usage struct {
	// CPUSeconds is user plus system CPU time of the whole tree, the
	// sampler's own reads included. A process counts while it is seen in
	// the tree, up to the last sample that saw it: what one does between
	// that sample and its exit, or within one interval from birth to
	// death, goes uncounted.
	CPUSeconds float64
	// PeakRSSMB is the highest memory of the tree seen in any one sample,
	// in MiB: this process's RSS plus its descendants' PSS. PSS splits a
	// shared page between the processes that map it, so PostgreSQL's shared
	// buffers count once, not once per backend. (A descendant's PSS is read
	// every few seconds, and followed in between by its private memory:
	// see pssMaxAge.)
	PeakRSSMB float64
	// SelfPeakRSSMB and ChildPeakRSSMB are the peaks of the two parts,
	// each on its own: they need not come from the same sample.
	SelfPeakRSSMB, ChildPeakRSSMB float64
}

// procKey tells a process apart from a later one that reuses its pid.
type procKey struct {
	pid   int32
	start int64 // creation time, in milliseconds since the epoch
}

// procStat is what the sampler needs of one process.
type procStat struct {
	key  procKey
	ppid int32
	cpu  float64 // its own user and system CPU seconds, not its children's
}

// procMem is a process's resident memory, in bytes.
type procMem struct {
	resident, anon uint64 // all of it, and its anonymous (private) part
	// text is the size of its program's code: the parent's in a child that
	// still shares its parent's memory, between vfork and exec.
	text uint64
}

// procSource reads processes: the machine's (sampler_procs.go), or a
// table in tests.
type procSource interface {
	pids() ([]int32, error)
	// stat reads one process; an error means it is gone.
	stat(pid int32) (procStat, error)
	// mem reads a process's resident memory: cheap.
	mem(pid int32) (procMem, error)
	// pss is a process's proportional set size in bytes: dear to read.
	pss(pid int32) (uint64, error)
}

// sampler follows the CPU and memory of this process and its descendants.
// A sample lists the processes on the machine and reads the stat of each
// descendant and of each process it has not seen before, the cheap memory
// counters of each descendant, and the dear PSS of a few (see pssMaxAge).
type sampler struct {
	src      procSource
	root     int32
	interval time.Duration

	stopOnce sync.Once
	quit     chan struct{}
	done     chan struct{}

	mu        sync.Mutex          // guards all below
	tree      map[procKey]float64 // CPU seconds of each member at the last sample
	outside   map[int32]bool      // pids known not to descend from root
	mem       map[procKey]memEstimate
	departed  float64  // CPU seconds of members that left the tree, as last seen
	total     float64  // CPU seconds of the tree, at the last sample
	spanStart float64  // total when the span began
	self      peakPair // this process's memory: now, and peak of the span
	children  peakPair // the descendants' memory, likewise
	both      peakPair // their sum
	firstErr  error    // the first failure to read the processes
	samples   int
}

// peakPair is a memory reading and the highest it has been in the span.
type peakPair struct{ now, peak uint64 }

func (p *peakPair) set(v uint64) { p.now, p.peak = v, max(p.peak, v) }

// startSampler takes a first sample and then one every interval (100 ms
// when interval is not positive) until stop.
func startSampler(interval time.Duration) *sampler {
	return startSamplerFrom(newProcSource(), int32(os.Getpid()), interval)
}

// startSamplerFrom samples root and its descendants as src reads them.
func startSamplerFrom(src procSource, root int32, interval time.Duration) *sampler {
	s := newSampler(src, root, interval)
	go s.run()
	return s
}

// newSampler takes the first sample; run takes the others, one every
// interval, until stop. Without run, only mark samples.
func newSampler(src procSource, root int32, interval time.Duration) *sampler {
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	s := &sampler{src: src, root: root, interval: interval, quit: make(chan struct{}), done: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sampleLocked()
	s.beginSpanLocked()
	return s
}

func (s *sampler) run() {
	defer close(s.done)
	tick := time.NewTicker(s.interval)
	defer tick.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-tick.C:
			s.mu.Lock()
			s.sampleLocked()
			s.mu.Unlock()
		}
	}
}

// mark samples once more and returns the usage since the start or the
// previous mark; the next span begins now, its peaks at the present values.
func (s *sampler) mark() usage {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sampleLocked()
	u := usage{
		// The kernel counts CPU time in hundredths of a second.
		CPUSeconds:     math.Round((s.total-min(s.spanStart, s.total))*100) / 100,
		PeakRSSMB:      mib(s.both.peak),
		SelfPeakRSSMB:  mib(s.self.peak),
		ChildPeakRSSMB: mib(s.children.peak),
	}
	s.beginSpanLocked()
	return u
}

// stop ends the periodic sampling and returns the usage since the last
// mark. The sampler can still be marked afterwards, sampling only then.
func (s *sampler) stop() usage {
	s.stopOnce.Do(func() { close(s.quit) })
	<-s.done
	return s.mark()
}

// err is the first failure to read the processes, if any: the usage is
// short of whatever could not be read.
func (s *sampler) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.firstErr
}

func (s *sampler) beginSpanLocked() {
	s.spanStart = s.total
	for _, p := range []*peakPair{&s.self, &s.children, &s.both} {
		p.peak = p.now
	}
}

func mib(bytes uint64) float64 { return float64(bytes) / (1 << 20) }
