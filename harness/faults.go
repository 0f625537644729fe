package harness

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// The fault API: what the @resilience scenarios and the soak do to the
// running system. Every service keeps its address across stops and starts,
// so the gateway and the other services find it again by themselves.

// StopService stops a service gracefully, as a deploy does: it stops
// receiving, finishes what is in flight, flushes its outbox, and its
// address is closed until StartService.
func (s *System) StopService(ctx context.Context, name string) error {
	return s.stop(name, false, false)
}

// KillService kills a service as a crash would: its way to AWS is cut at
// once (nothing it still does reaches a queue or a table), its address is
// closed with every connection on it, and what it was handling is left
// half done. Messages it held come back after their visibility timeout.
func (s *System) KillService(ctx context.Context, name string) error {
	return s.stop(name, true, false)
}

// StartService starts a stopped, killed or paused service again on its
// address, and waits until it is ready.
func (s *System) StartService(ctx context.Context, name string) error {
	sv, err := s.proc(name)
	if err != nil {
		return err
	}
	if err := sv.start(ctx); err != nil {
		return err
	}
	return sv.waitReady(ctx)
}

// RestartService stops a service gracefully and starts it again.
func (s *System) RestartService(ctx context.Context, name string) error {
	if err := s.StopService(ctx, name); err != nil {
		return err
	}
	return s.StartService(ctx, name)
}

// CrashAndRestartService kills a service, then starts it again.
func (s *System) CrashAndRestartService(ctx context.Context, name string) error {
	if err := s.KillService(ctx, name); err != nil {
		return err
	}
	return s.StartService(ctx, name)
}

// PauseService stops a service from serving and consuming without giving
// up its address: it stops gracefully, but callers meanwhile wait (in the
// socket's backlog) rather than being refused. ResumeService (or
// StartService) brings it back.
func (s *System) PauseService(ctx context.Context, name string) error {
	return s.stop(name, false, true)
}

// ResumeService starts a paused service again.
func (s *System) ResumeService(ctx context.Context, name string) error {
	return s.StartService(ctx, name)
}

// ServiceRunning reports whether a service is running (not stopped,
// killed or paused).
func (s *System) ServiceRunning(name string) bool {
	sv, err := s.proc(name)
	return err == nil && sv.running()
}

// FailSQSSends makes the next n SQS sends (SendMessage, SendMessageBatch,
// each attempt of the SDK's retries counting once) fail with a 500; n < 0
// fails every send until ClearAWSFaults.
func (s *System) FailSQSSends(n int) error {
	return s.setAWSFaults(func(f *awsFaults) { f.failSends = max(n, -1) })
}

// DuplicateSQSSends makes the next n SQS sends deliver their messages
// twice; n < 0 duplicates every send until ClearAWSFaults.
func (s *System) DuplicateSQSSends(n int) error {
	return s.setAWSFaults(func(f *awsFaults) { f.dupSends = max(n, -1) })
}

// KillServiceAtNextWrite kills service the moment it next writes to the
// DynamoDB table of the topology called table (e.g. "payments"): the write
// is not made, and the service is dead until StartService.
func (s *System) KillServiceAtNextWrite(service, table string) error {
	name, ok := s.aws.Tables[table]
	if !ok {
		return fmt.Errorf("no table %q", table)
	}
	if _, err := s.proc(service); err != nil {
		return err
	}
	return s.setAWSFaults(func(f *awsFaults) { f.crashOn[service] = name })
}

// DynamoDBDown makes DynamoDB fail for service, as in an outage of AWS:
// every call it makes is answered 500 InternalServerError (the SDK retries
// each a few times, then gives up), until DynamoDBBack or ClearAWSFaults.
// The other services' calls go through.
func (s *System) DynamoDBDown(service string) error {
	if _, err := s.proc(service); err != nil {
		return err
	}
	if err := s.setAWSFaults(func(f *awsFaults) { f.dynamoDown[service] = true }); err != nil {
		return err
	}
	s.opts.Log.Info("fault: DynamoDB down", "service", service)
	return nil
}

// DynamoDBBack ends DynamoDBDown for service.
func (s *System) DynamoDBBack(service string) error {
	if _, err := s.proc(service); err != nil {
		return err
	}
	if err := s.setAWSFaults(func(f *awsFaults) { delete(f.dynamoDown, service) }); err != nil {
		return err
	}
	s.opts.Log.Info("fault: DynamoDB back", "service", service)
	return nil
}

// DynamoDBCallsRefused counts the calls of service's action (e.g. "GetItem",
// "PutItem") that DynamoDBDown refused since the start, each call once
// however many times the SDK attempted it: a consumer's handler makes its
// first call once per delivery.
func (s *System) DynamoDBCallsRefused(service, action string) int {
	if s.proxy == nil {
		return 0
	}
	return s.proxy.refusedCalls(service, action)
}

// ClearAWSFaults lifts every AWS fault not yet used up (none can be set on
// a system of containers).
func (s *System) ClearAWSFaults() {
	if s.proxy != nil {
		s.proxy.set(func(f *awsFaults) { *f = noAWSFaults() })
	}
}

// AWSFaultStats counts what the AWS faults did since the start.
func (s *System) AWSFaultStats() FaultStats {
	if s.proxy == nil {
		return FaultStats{}
	}
	return s.proxy.counts()
}

// InProcess reports whether the services run in this process (no Engine):
// only then are the AWS faults available.
func (s *System) InProcess() bool { return s.opts.Engine == nil }

// ErrInProcessOnly is what an AWS fault returns on a system of containers:
// only in-process do the services' calls to AWS pass through the harness.
var ErrInProcessOnly = errors.New("harness: AWS faults need the in-process system, where every call to AWS passes through the harness")

// setAWSFaults changes the AWS faults, where there are any to change.
func (s *System) setAWSFaults(change func(f *awsFaults)) error {
	if s.proxy == nil {
		return ErrInProcessOnly
	}
	s.proxy.set(change)
	return nil
}

// AWSCalls counts the calls each service has made to AWS so far, by
// "<service> <action>" (e.g. "payment PutItem"), for the load tool's report
// of where the time goes.
func (s *System) AWSCalls() map[string]int {
	if s.proxy == nil {
		return map[string]int{}
	}
	return s.proxy.callCounts()
}

// StopPostgres takes PostgreSQL away from the services (a fast shutdown:
// their connections are cut); StartPostgres brings it back on the same port
// with the same data. The services must recover by themselves.
func (s *System) StopPostgres() error {
	if s.pgCtr != nil {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		return s.pgCtr.Stop(ctx, stopTimeout/2)
	}
	return s.pg.StopServer()
}

// StartPostgres starts PostgreSQL again after StopPostgres, and returns
// once it accepts connections.
func (s *System) StartPostgres(ctx context.Context) error {
	if s.pgCtr != nil {
		return s.pgCtr.Start(ctx)
	}
	return s.pg.StartServer(ctx)
}

// RestartPostgres stops PostgreSQL, waits down, and starts it again.
func (s *System) RestartPostgres(ctx context.Context, down time.Duration) error {
	if err := s.StopPostgres(); err != nil {
		return err
	}
	t := time.NewTimer(down)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	return s.StartPostgres(context.WithoutCancel(ctx))
}

func (s *System) stop(name string, kill, keepSocket bool) error {
	sv, err := s.proc(name)
	if err != nil {
		return err
	}
	return sv.stop(kill, keepSocket)
}

func (s *System) proc(name string) (proc, error) {
	sv, ok := s.procs[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", errUnknownService, name)
	}
	return sv, nil
}
