package main

import (
	"cmp"
	"slices"
	"time"
)

// pssMaxAge is how stale a descendant's PSS may grow. Reading it means the
// kernel walks the process's page tables: 1–2 ms for a PostgreSQL backend
// with 70 MiB of shared buffers mapped, so reading every backend in every
// sample would cost tens of milliseconds. Each sample reads only the few
// stalest, enough to read every descendant within pssMaxAge.
const pssMaxAge = 5 * time.Second

// memEstimate is a descendant's PSS as last read, moved since by the change
// in its private (anonymous) resident memory, which statm gives cheaply.
// Its share of shared pages it touched since goes unseen until the next
// read; private memory, which is what spikes, does not.
type memEstimate struct {
	pss       uint64 // bytes, at the last read
	anonAtPSS uint64 // anonymous resident bytes then
	anon      uint64 // anonymous resident bytes now
	readAt    int    // sample number of the last read; 0 for never
}

func (e memEstimate) bytes() uint64 { return max(e.pss+e.anon, e.anonAtPSS) - e.anonAtPSS }

// countMemoryLocked adds up the tree's memory; members[0] is this process,
// counted by its RSS. A child of this process that still shares its memory,
// between vfork and exec (how Go starts every program), is left out: its
// PSS would be all of this process's memory once more.
func (s *sampler) countMemoryLocked(members []procStat) {
	root := members[0]
	self, _, err := s.src.rss(root.key.pid)
	if err != nil {
		s.failLocked(err)
	}
	mem := make(map[procKey]memEstimate, len(members))
	for _, p := range members[1:] {
		if p.ppid == root.key.pid && p.addrSpace == root.addrSpace && p.addrSpace != [3]uint64{} {
			continue
		}
		_, anon, err := s.src.rss(p.key.pid)
		if err != nil {
			continue // it has exited since the listing
		}
		e := s.mem[p.key] // never read: its anonymous memory alone until it is
		e.anon = anon
		mem[p.key] = e
	}
	s.refreshPSSLocked(mem)
	s.mem = mem
	var children uint64
	for _, e := range mem {
		children += e.bytes()
	}
	s.self.set(self)
	s.children.set(children)
	s.both.set(self + children)
}

// refreshPSSLocked reads the PSS of the stalest descendants, never-read
// first: all of them in the first sample, so that the run starts from
// true values, and later enough per sample to go round in pssMaxAge.
func (s *sampler) refreshPSSLocked(mem map[procKey]memEstimate) {
	keys := make([]procKey, 0, len(mem))
	for k := range mem {
		keys = append(keys, k)
	}
	n := len(keys)
	if s.samples > 0 {
		perRound := max(int(pssMaxAge/s.interval), 1)
		n = min(n, (n+perRound-1)/perRound)
	}
	slices.SortFunc(keys, func(a, b procKey) int {
		return cmp.Or(cmp.Compare(mem[a].readAt, mem[b].readAt), cmp.Compare(a.pid, b.pid))
	})
	for _, k := range keys[:n] {
		pss, err := s.src.pss(k.pid)
		if err != nil {
			continue // exited: it goes from the next sample
		}
		e := mem[k]
		e.pss, e.anonAtPSS, e.readAt = pss, e.anon, s.samples+1
		mem[k] = e
	}
}
