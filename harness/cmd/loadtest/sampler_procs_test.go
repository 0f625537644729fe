//go:build linux

package main

import (
	"bufio"
	"os/exec"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// burnScript keeps a shell busy for about 0.2 s of CPU.
const burnScript = `i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done`

// selfCPU is this process's own CPU time, its children's not included.
func selfCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestSamplerCountsChildAndOwnMemory(t *testing.T) {
	t.Parallel()
	// This process's CPU is read on both sides of the sampler's start and
	// of its stop: other tests of the package run beside this one and
	// burn CPU meanwhile, so the sampler's own count of this process lies
	// between the two readings, never exactly at one.
	beforeStart := selfCPU(t)
	s := startSampler(10 * time.Millisecond)
	afterStart := selfCPU(t)

	ballast := make([]byte, 64<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1
	}
	child := exec.Command("sh", "-c", burnScript)
	if err := child.Run(); err != nil {
		t.Fatal(err)
	}
	beforeStop := selfCPU(t)
	u := s.stop()
	afterStop := selfCPU(t)
	runtime.KeepAlive(ballast)
	selfLeast, selfMost := (beforeStop - afterStart).Seconds(), (afterStop - beforeStart).Seconds()

	if err := s.err(); err != nil {
		t.Fatalf("sampler: %v", err)
	}
	childCPU := (child.ProcessState.UserTime() + child.ProcessState.SystemTime()).Seconds()
	t.Logf("usage %+v; self %.3f to %.3f s, child %.3f s", u, selfLeast, selfMost, childCPU)
	// The child counts up to the last sample that saw it, 10 ms or less
	// before it ended; the kernel counts in whole ticks of 10 ms. There is
	// no upper bound: other tests' children (PostgreSQL) are this
	// process's descendants too, and count.
	if u.CPUSeconds < selfLeast+childCPU-0.05 {
		t.Errorf("CPUSeconds = %.3f, want at least this process's %.3f plus the child's %.3f", u.CPUSeconds, selfLeast, childCPU)
	}
	if u.SelfPeakRSSMB < 64 || u.PeakRSSMB < u.SelfPeakRSSMB {
		t.Errorf("peaks %+v, want self ≥ 64 MiB and total ≥ self", u)
	}
}

func TestSamplerCountsLiveGrandchild(t *testing.T) {
	t.Parallel()
	s := startSampler(time.Hour) // samples only at the start and at the mark
	defer s.stop()
	// The grandchild burns, says so and sleeps on, alive; the trailing ':'
	// keeps sh from exec'ing it in its own place.
	cmd := exec.Command("sh", "-c", `sh -c '`+burnScript+`; echo burnt; exec sleep 60'; :`)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "burnt\n" {
		t.Fatalf("grandchild said %q, %v", line, err)
	}

	u := s.mark()
	if err := s.err(); err != nil {
		t.Fatalf("sampler: %v", err)
	}
	t.Logf("usage %+v", u)
	if u.CPUSeconds < 0.1 {
		t.Errorf("CPUSeconds = %.3f, want the grandchild's ~0.2 s burnScript", u.CPUSeconds)
	}
	if u.ChildPeakRSSMB <= 0 || u.PeakRSSMB < u.SelfPeakRSSMB+u.ChildPeakRSSMB-1e-9 && u.PeakRSSMB < u.SelfPeakRSSMB {
		t.Errorf("peaks %+v, want the two shells' memory counted", u)
	}
}

func BenchmarkSample(b *testing.B) {
	s := startSampler(time.Hour)
	defer s.stop()
	for b.Loop() {
		sampleNow(s)
	}
	pids, _ := s.src.pids()
	b.ReportMetric(float64(len(pids)), "procs")
	b.ReportMetric(float64(len(s.tree)), "members")
}

// Not parallel: the package's other tests boot systems whose PostgreSQL
// would be children of ours too, and count.
func TestSamplerSkipsChildrenSharingOurMemory(t *testing.T) {
	ballast := make([]byte, 256<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1
	}
	// Sampling every millisecond while starting programs catches some of
	// them between vfork and exec, when their PSS is all of ours.
	s := startSampler(time.Millisecond)
	for range 300 {
		if err := exec.Command("true").Run(); err != nil {
			t.Fatal(err)
		}
	}
	u := s.stop()
	runtime.KeepAlive(ballast)
	t.Logf("usage %+v; %d samples", u, s.samples)
	if u.ChildPeakRSSMB > 64 {
		t.Errorf("ChildPeakRSSMB = %.1f with only short programs as children: our 256 MiB counted again", u.ChildPeakRSSMB)
	}
}
