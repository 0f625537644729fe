package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"runtime/pprof"
	"strings"
	"sync"
)

// awsProxy stands between the services and the AWS emulator and injects
// faults: SQS sends that fail or are delivered twice, a service that dies
// at its next write to a DynamoDB table, DynamoDB down for a service. Each
// run of a service talks to AWS through a door of its own (aws_door.go), so
// the proxy knows who calls, and a killed service's door is slammed: none
// of its calls reaches AWS any more, as if its process were gone.
type awsProxy struct {
	// next is the emulator: its handler, called in-process when it is
	// embedded (a service's call is then one HTTP exchange, as with AWS),
	// or a reverse proxy to an external one.
	next   http.Handler
	log    *slog.Logger
	labels context.Context // the emulator's profile labels

	mu     sync.Mutex
	faults awsFaults
	doors  map[*awsDoor]struct{}
	stats  FaultStats
	calls  map[string]int // "service action" -> calls made
	// refused counts the DynamoDB calls an outage refused, by "service
	// action", each call once however many times the SDK attempted it.
	refused map[string]int
	// crash is called, in a goroutine of its own, when a service meets its
	// crash rule: it kills the service.
	crash func(service string)
}

// awsFaults are the faults in force.
type awsFaults struct {
	failSends int               // SQS sends to fail: the next n; -1: all, until cleared
	dupSends  int               // SQS sends to deliver twice: the next n; -1: all
	crashOn   map[string]string // service -> table: its next write there kills it
	// dynamoDown are the services DynamoDB fails for: every call answered
	// 500, until lifted.
	dynamoDown map[string]bool
}

// noAWSFaults is the proxy at peace.
func noAWSFaults() awsFaults {
	return awsFaults{crashOn: map[string]string{}, dynamoDown: map[string]bool{}}
}

// FaultStats counts what the AWS faults did.
type FaultStats struct {
	SendsFailed     int // SQS sends answered 500 instead of being made
	SendsDuplicated int // SQS sends made twice
	Crashes         int // services killed at a DynamoDB write
	// DynamoCallsRefused counts the DynamoDB calls an outage refused, each
	// once however many times the SDK attempted it.
	DynamoCallsRefused int
}

// newAWSProxy fronts the emulator: embedded (its in-process handler) or
// external (its endpoint, when embedded is nil).
func newAWSProxy(embedded http.Handler, endpoint string, log *slog.Logger) (*awsProxy, error) {
	next := embedded
	if next == nil {
		target, err := url.Parse(endpoint)
		if err != nil {
			return nil, fmt.Errorf("aws endpoint %q: %w", endpoint, err)
		}
		rp := httputil.NewSingleHostReverseProxy(target)
		rp.Transport = &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}
		rp.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelDebug)
		next = rp
	}
	return &awsProxy{next: next, log: log, doors: map[*awsDoor]struct{}{}, calls: map[string]int{}, refused: map[string]int{},
		labels: pprof.WithLabels(context.Background(), pprof.Labels("component", "aws-emulator")),
		faults: noAWSFaults()}, nil
}

func (p *awsProxy) close() {
	p.mu.Lock()
	doors := p.doors
	p.doors = map[*awsDoor]struct{}{}
	p.mu.Unlock()
	for d := range doors {
		d.slam()
	}
}

func (p *awsProxy) serve(d *awsDoor, w http.ResponseWriter, r *http.Request) {
	if d.isSlammed() {
		hangUp(w)
		return
	}
	action := r.Header.Get("X-Amz-Target")
	// The body is read only for a fault that looks into it: every call
	// otherwise streams through, as it would to AWS.
	var body []byte
	if p.arrive(d.service, action) {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			hangUp(w)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	switch {
	case isDynamo(action) && p.refuses(d.service, action, r):
		p.log.Debug("fault: DynamoDB call refused", "service", d.service, "action", action)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`)
		return
	case isSQSSend(action) && p.take(&p.faults.failSends, &p.stats.SendsFailed):
		p.log.Info("fault: SQS send failed", "service", d.service, "action", action)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"__type":"InternalError","message":"injected fault"}`)
		return
	case isDynamoWrite(action) && body != nil && p.crashes(d.service, body):
		p.log.Info("fault: service killed at a DynamoDB write", "service", d.service, "action", action)
		d.slam()
		go p.crash(d.service)
		hangUp(w)
		return
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	p.next.ServeHTTP(rec, r)
	if isSQSSend(action) && body != nil && rec.status == http.StatusOK && p.take(&p.faults.dupSends, &p.stats.SendsDuplicated) {
		p.log.Info("fault: SQS send delivered twice", "service", d.service, "action", action)
		p.resend(r, body)
	}
}

// arrive counts service's call action, and reports whether a fault in
// force may need its body: a send to deliver twice, a write to crash at.
// (An action with no X-Amz-Target is counted by its query-protocol name,
// which this project does not use.)
func (p *awsProxy) arrive(service, action string) (needsBody bool) {
	_, op, _ := strings.Cut(action, ".")
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[service+" "+op]++
	return (isSQSSend(action) && p.faults.dupSends != 0) || (isDynamoWrite(action) && p.faults.crashOn[service] != "")
}

// take consumes one use of a fault counter (n > 0: that many left; -1: on
// until cleared) and counts it in stat.
func (p *awsProxy) take(n *int, stat *int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case *n > 0:
		*n--
	case *n < 0:
	default:
		return false
	}
	*stat++
	return true
}

// crashes reports, and consumes, a crash rule of service that body (a
// DynamoDB write) meets.
func (p *awsProxy) crashes(service string, body []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	table, ok := p.faults.crashOn[service]
	if !ok || !bytes.Contains(body, []byte(`"`+table+`"`)) {
		return false
	}
	delete(p.faults.crashOn, service)
	p.stats.Crashes++
	return true
}

// refuses reports whether DynamoDB is down for service, and counts the
// refusal of r (its action) unless r is a retry of a call already refused.
func (p *awsProxy) refuses(service, action string, r *http.Request) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.faults.dynamoDown[service] {
		return false
	}
	if firstAttempt(r) {
		_, op, _ := strings.Cut(action, ".")
		p.refused[service+" "+op]++
		p.stats.DynamoCallsRefused++
	}
	return true
}

// firstAttempt reports whether r is the first attempt of an SDK call: the
// SDK numbers its attempts in the amz-sdk-request header ("attempt=2;
// max=4"). A request without the number counts as a call of its own.
func firstAttempt(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Amz-Sdk-Request"), ";") {
		if n, ok := strings.CutPrefix(strings.TrimSpace(part), "attempt="); ok {
			return n == "1"
		}
	}
	return true
}

// refusedCalls counts the calls of service's action (e.g. "GetItem") that
// DynamoDB outages refused so far.
func (p *awsProxy) refusedCalls(service, action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused[service+" "+action]
}

// resend makes the same call again, straight to the emulator.
func (p *awsProxy) resend(r *http.Request, body []byte) {
	again := r.Clone(context.WithoutCancel(r.Context()))
	again.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	p.next.ServeHTTP(rec, again)
	if rec.Code != http.StatusOK {
		p.log.Warn("fault: the duplicate SQS send failed", "status", rec.Code, "body", rec.Body.String())
	}
}

// callCounts copies the calls made so far.
func (p *awsProxy) callCounts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.calls)
}

func (p *awsProxy) set(fn func(f *awsFaults)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fn(&p.faults)
}

func (p *awsProxy) counts() FaultStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

func isSQSSend(action string) bool {
	return action == "AmazonSQS.SendMessage" || action == "AmazonSQS.SendMessageBatch"
}

func isDynamo(action string) bool { return strings.HasPrefix(action, "DynamoDB_20120810.") }

func isDynamoWrite(action string) bool {
	op, ok := strings.CutPrefix(action, "DynamoDB_20120810.")
	return ok && (op == "PutItem" || op == "UpdateItem" || op == "DeleteItem" || op == "TransactWriteItems" || op == "BatchWriteItem")
}

// hangUp drops the connection without an answer, as a dead peer does.
func hangUp(w http.ResponseWriter) {
	if d, ok := w.(*doorResponse); ok {
		d.hangUp()
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			_ = c.Close()
			return
		}
	}
	w.WriteHeader(http.StatusServiceUnavailable)
}

// statusRecorder notes the status a handler answers with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
