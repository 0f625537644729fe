package main

import "fmt"

// sampleLocked reads the tree once and folds it into the span.
func (s *sampler) sampleLocked() {
	defer func() { s.samples++ }()
	procs, outside, err := s.readLocked()
	if err != nil {
		s.failLocked(err)
		return
	}
	members := descendants(procs, s.root)
	if len(members) == 0 {
		s.failLocked(fmt.Errorf("process %d is missing from the process list", s.root))
		return
	}
	for _, p := range procs {
		outside[p.key.pid] = true
	}
	for _, p := range members {
		delete(outside, p.key.pid)
	}
	s.outside = outside
	s.countCPULocked(members)
	s.countMemoryLocked(members)
}

// readLocked reads every process but those known to be outside the tree:
// a process that does not descend from root never comes to, since only an
// orphan changes parents, and it goes to init. Skipping them keeps a
// sample cheap on a busy machine. It also returns which of the known
// outsiders still run. (A pid freed and reused within one interval would
// escape notice, but pids are reused only after wrapping around pid_max.)
func (s *sampler) readLocked() ([]procStat, map[int32]bool, error) {
	pids, err := s.src.pids()
	if err != nil {
		return nil, nil, err
	}
	procs := make([]procStat, 0, len(s.tree)+16)
	outside := make(map[int32]bool, len(s.outside))
	for _, pid := range pids {
		if s.outside[pid] {
			outside[pid] = true
			continue
		}
		if p, err := s.src.stat(pid); err == nil { // else it exited since the listing
			procs = append(procs, p)
		}
	}
	return procs, outside, nil
}

// countCPULocked sums the tree's CPU. A member that left the tree (it
// exited, or was orphaned and adopted outside) keeps what it had used at
// the last sample that saw it.
func (s *sampler) countCPULocked(members []procStat) {
	tree := make(map[procKey]float64, len(members))
	for _, p := range members {
		tree[p.key] = p.cpu
	}
	for k, cpu := range s.tree {
		if _, ok := tree[k]; !ok {
			s.departed += cpu
		}
	}
	s.tree = tree
	s.total = s.departed
	for _, cpu := range tree {
		s.total += cpu
	}
}

func (s *sampler) failLocked(err error) {
	if s.firstErr == nil {
		s.firstErr = err
	}
}

// descendants picks root and every process below it out of procs, root
// first, by following parent pids down from root.
func descendants(procs []procStat, root int32) []procStat {
	children := make(map[int32][]int, len(procs)) // ppid → indexes into procs
	var out []procStat
	for i, p := range procs {
		if p.key.pid == root {
			out = append(out, p)
		}
		children[p.ppid] = append(children[p.ppid], i)
	}
	// Bounded by len(procs) in case pids reused mid-listing make a cycle.
	for i := 0; i < len(out) && len(out) <= len(procs); i++ {
		for _, j := range children[out[i].key.pid] {
			out = append(out, procs[j])
		}
	}
	return out
}
