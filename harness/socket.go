package harness

import (
	"fmt"
	"net"
	"sync"
	"time"
)

// socket is a service's listening address, owned by the harness rather than
// by the service, so that the fault API can take the service away and bring
// it back where the gateway and the other services expect it:
//
//   - a running service serves a view of the socket; the view's Close (which
//     the service's HTTP server calls when it stops) ends that service's
//     Accept but leaves the socket bound, so that while the service is
//     paused, callers wait in the backlog instead of being refused;
//   - close unbinds the address and cuts every connection accepted through
//     it, as a dead process would; open binds the same address again.
type socket struct {
	addr string

	mu       sync.Mutex
	ln       net.Listener // nil while closed
	accepted chan net.Conn
	conns    map[net.Conn]struct{}
}

// bindSocket binds addr (host:0 picks a free port, kept from then on).
func bindSocket(addr string) (*socket, error) {
	s := &socket{addr: addr, conns: map[net.Conn]struct{}{}}
	if err := s.open(); err != nil {
		return nil, err
	}
	return s, nil
}

// open binds the socket's address unless it is bound. Rebinding a port just
// closed can fail for a moment; it tries for up to two seconds.
func (s *socket) open() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return nil
	}
	var ln net.Listener
	var err error
	for deadline := time.Now().Add(2 * time.Second); ; {
		if ln, err = net.Listen("tcp", s.addr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.addr, err)
	}
	s.addr = ln.Addr().String()
	s.ln, s.accepted = ln, make(chan net.Conn)
	go s.acceptLoop(ln, s.accepted)
	return nil
}

// acceptLoop hands the connections ln accepts to the views, one at a time;
// while no view takes them, further callers wait in the kernel's backlog.
func (s *socket) acceptLoop(ln net.Listener, out chan<- net.Conn) {
	defer close(out)
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		tc := &trackedConn{Conn: c, s: s}
		s.mu.Lock()
		s.conns[tc] = struct{}{}
		s.mu.Unlock()
		out <- tc
	}
}

// close unbinds the address and closes every connection it accepted.
func (s *socket) close() {
	s.mu.Lock()
	ln, accepted, conns := s.ln, s.accepted, s.conns
	s.ln, s.conns = nil, map[net.Conn]struct{}{}
	s.mu.Unlock()
	if ln == nil {
		return
	}
	_ = ln.Close()
	for c := range conns {
		_ = c.Close()
	}
	// A connection the loop accepted but no view took is dropped too; the
	// loop closes the channel once the closed listener stops it.
	for c := range accepted {
		_ = c.Close()
	}
}

// view returns a listener over the socket for one run of a service.
func (s *socket) view() net.Listener {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &socketView{addr: s.ln.Addr(), accepted: s.accepted, done: make(chan struct{})}
}

// socketView is what one run of a service accepts from.
type socketView struct {
	addr     net.Addr
	accepted <-chan net.Conn
	once     sync.Once
	done     chan struct{}
}

func (v *socketView) Accept() (net.Conn, error) {
	select {
	case c, ok := <-v.accepted:
		if !ok {
			return nil, net.ErrClosed
		}
		return c, nil
	case <-v.done:
		return nil, net.ErrClosed
	}
}

func (v *socketView) Close() error {
	v.once.Do(func() { close(v.done) })
	return nil
}

func (v *socketView) Addr() net.Addr { return v.addr }

// trackedConn forgets itself when closed, so that close cuts only the live ones.
type trackedConn struct {
	net.Conn
	s *socket
}

func (c *trackedConn) Close() error {
	c.s.mu.Lock()
	delete(c.s.conns, c)
	c.s.mu.Unlock()
	return c.Conn.Close()
}
