package main

import (
	"cmp"
	"slices"
	"time"
)

// pssMaxAge is how stale a descendant's PSS may grow. Reading it means the
// kernel walks the process's page tables, which for a PostgreSQL backend
// mapping the shared buffers costs more than all the rest of a sample. Each
// sample reads only the few stalest, enough to read every descendant
// within pssMaxAge.
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
// PSS would be all of this process's memory once more. It is told by its
// code's size, which is ours until it runs a program of its own.
func (s *sampler) countMemoryLocked(members []procStat) {
	root := members[0]
	self, err := s.src.mem(root.key.pid)
	if err != nil {
		s.failLocked(err)
	}
	mem := make(map[procKey]memEstimate, len(members))
	for _, p := range members[1:] {
		m, err := s.src.mem(p.key.pid)
		if err != nil || p.ppid == root.key.pid && m.text == self.text && m.text != 0 {
			continue // it has exited since the listing, or shares our memory
		}
		e := s.mem[p.key] // never read: its anonymous memory alone until it is
		e.anon = m.anon
		mem[p.key] = e
	}
	s.refreshPSSLocked(mem)
	s.mem = mem
	var children uint64
	for _, e := range mem {
		children += e.bytes()
	}
	s.self.set(self.resident)
	s.children.set(children)
	s.both.set(self.resident + children)
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
