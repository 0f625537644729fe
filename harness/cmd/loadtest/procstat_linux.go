//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// clockTicksPerSecond is USER_HZ, the unit of the times in /proc/<pid>/stat.
// The standard library has no sysconf(_SC_CLK_TCK), but the kernel fixes
// USER_HZ at 100 on every architecture Go runs Linux on, whatever HZ it
// was built with.
const clockTicksPerSecond = 100

// procfs reads /proc. Its buffer is reused from read to read, which the
// sampler's mutex keeps to one at a time.
type procfs struct {
	dir      string
	pageSize uint64
	buf      []byte
}

func newProcSource() procSource {
	return &procfs{dir: "/proc", pageSize: uint64(os.Getpagesize()), buf: make([]byte, 4096)}
}

func (p *procfs) pids() ([]int, error) {
	d, err := os.Open(p.dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", p.dir, err)
	}
	pids := make([]int, 0, len(names))
	for _, name := range names {
		if pid, err := strconv.Atoi(name); err == nil { // else not a process: self, meminfo...
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// stat reads /proc/<pid>/stat. /proc lists pids in ascending order, so a
// parent is usually read before its children: a child reaped between the
// two reads then goes uncounted in this sample rather than counted twice.
func (p *procfs) stat(pid int) (procStat, error) {
	data, err := p.read(p.dir + "/" + strconv.Itoa(pid) + "/stat")
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ESRCH) {
		return procStat{}, errGone
	}
	if err != nil {
		return procStat{}, err
	}
	return parseStat(pid, data)
}

// pss reads the Pss line of smaps_rollup, falling back to the RSS from
// statm where smaps_rollup cannot be read (kernels before 4.14, or no
// permission to inspect the process).
func (p *procfs) pss(pid int) (uint64, error) {
	data, err := p.read(p.dir + "/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err == nil {
		if kb, ok := fieldAfter(data, "\nPss:"); ok {
			return kb * 1024, nil
		}
	}
	resident, _, err := p.rss(pid)
	return resident, err
}

// rss reads statm, whose second and third fields are the resident pages
// and the shared ones (file-backed or shared memory); the rest is
// anonymous. The same numbers as in status, without formatting all of it.
func (p *procfs) rss(pid int) (resident, anon uint64, err error) {
	path := p.dir + "/" + strconv.Itoa(pid) + "/statm"
	data, err := p.read(path)
	if err != nil {
		return 0, 0, err
	}
	res, ok1 := nthField(data, 1)
	shared, ok2 := nthField(data, 2)
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("%s: %q has no resident and shared fields", path, data)
	}
	return res * p.pageSize, (max(res, shared) - shared) * p.pageSize, nil
}

// read reads a whole file into the shared buffer, growing it as needed.
// It calls open, read and close directly: os.Open would also try to add
// the file to the network poller and read again for io.EOF, nearly doubling
// the system calls of a sample, which are most of its cost. The files read
// here are produced whole by one read, so a read that does not fill the
// buffer has read to the end.
func (p *procfs) read(path string) ([]byte, error) {
	fd, err := retryEINTR(func() (int, error) { return syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0) })
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	n := 0
	for {
		m, err := retryEINTR(func() (int, error) { return syscall.Read(fd, p.buf[n:]) })
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		}
		n += m
		if n < len(p.buf) {
			return p.buf[:n], nil
		}
		p.buf = append(p.buf, make([]byte, len(p.buf))...)
	}
}

// retryEINTR calls again when a signal interrupted the call.
func retryEINTR(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if !errors.Is(err, syscall.EINTR) {
			return n, err
		}
	}
}

// parseStat reads ppid, the CPU times, starttime and the code and stack
// addresses from a /proc/<pid>/stat line. The command name, second, is in
// parentheses and may itself hold spaces and parentheses, so fields are
// counted from the last ')'.
func parseStat(pid int, data []byte) (procStat, error) {
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("/proc/%d/stat: no command name in %q", pid, data)
	}
	// Fields from there, numbered from 0, are proc(5)'s from 3 on: 0 state,
	// 1 ppid, 11 utime, 12 stime, 13 cutime, 14 cstime, 19 starttime,
	// 23 startcode, 24 endcode, 25 startstack. The state letter parses as
	// 0, unused.
	var v [26]uint64
	n := 0
	for f := range bytes.FieldsSeq(data[i+1:]) {
		if n == len(v) {
			break
		}
		v[n], _ = parseDigits(f)
		n++
	}
	if n < len(v) {
		return procStat{}, fmt.Errorf("/proc/%d/stat: %d fields after the command name in %q, want %d or more", pid, n, data, len(v))
	}
	return procStat{
		key:       procKey{pid: pid, start: v[19]},
		ppid:      int(v[1]),
		ticks:     v[11] + v[12] + v[13] + v[14],
		addrSpace: [3]uint64{v[23], v[24], v[25]},
	}, nil
}

// fieldAfter parses the number that follows label in data.
func fieldAfter(data []byte, label string) (uint64, bool) {
	i := bytes.Index(data, []byte(label))
	if i < 0 {
		return 0, false
	}
	return nthField(data[i+len(label):], 0)
}

// nthField parses the n-th (from 0) space-separated field of data as an
// unsigned number.
func nthField(data []byte, n int) (uint64, bool) {
	for f := range bytes.FieldsSeq(data) {
		if n == 0 {
			return parseDigits(f)
		}
		n--
	}
	return 0, false
}

func parseDigits(b []byte) (uint64, bool) {
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
