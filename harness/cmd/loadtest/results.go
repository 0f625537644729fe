package main

import (
	"math"
	"runtime"
	"time"
)

// results is what bench/results.json holds.
type results struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Machine     machine           `json:"machine"`
	Target      string            `json:"target"`
	Settings    map[string]string `json:"settings"`

	BootMS    float64 `json:"boot_ms"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// The peaks of this process (the services, the emulator, the fake and
	// the tool) and of its children (PostgreSQL), each on its own.
	PeakRSSSelfMB     float64 `json:"peak_rss_self_mb"`
	PeakRSSChildrenMB float64 `json:"peak_rss_children_mb"`
	CPUSeconds        float64 `json:"cpu_seconds"`
	// FeatureSuiteS is how long the feature suite took (given by make bench).
	FeatureSuiteS float64 `json:"feature_suite_s,omitempty"`
	Errors        int     `json:"errors"`

	Flow      flowResult           `json:"flow"`
	PostOrder postResult           `json:"post_order"`
	Floor     *floorOut            `json:"floor,omitempty"`
	Phases    map[string]*phaseOut `json:"phases"`
	Targets   []targetCheck        `json:"targets"`

	cfg config
}

type machine struct {
	CPUs int    `json:"cpus"`
	OS   string `json:"os"`
	Arch string `json:"arch"`
	Go   string `json:"go"`
}

// flowResult is the system's sustained throughput, how it compares with
// the floor, and the order→kitchen latency at the latency phase's rate.
type flowResult struct {
	OrdersPerS         float64  `json:"orders_per_s"`
	FloorRatio         *float64 `json:"floor_ratio"`
	OrderToKitchenMS   spread   `json:"order_to_kitchen_ms"`
	OrderToKitchenRate float64  `json:"order_to_kitchen_at_orders_per_s"`
}

// postResult is POST /order alone, clients placing orders back to back.
type postResult struct {
	ReqPerS  float64 `json:"req_per_s"`
	P50MS    float64 `json:"p50_ms"`
	P95MS    float64 `json:"p95_ms"`
	P99MS    float64 `json:"p99_ms"`
	Clients  int     `json:"clients"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	// Pipeline says whether the payment service (and so everything
	// downstream) was "paused" or "running" meanwhile.
	Pipeline string `json:"pipeline,omitempty"`
}

type floorOut struct {
	OrdersPerS float64 `json:"orders_per_s"`
	Orders     int     `json:"orders"`
	Errors     int     `json:"errors"`
	Workers    int     `json:"workers"`
	PerOrder   string  `json:"per_order"`
	CPUSeconds float64 `json:"cpu_seconds"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
}

// phaseOut is one load phase: what was placed, what came out, and the
// latency of every stage.
type phaseOut struct {
	DurationS  float64           `json:"duration_s"`
	Orders     int               `json:"orders"`
	Errors     int               `json:"errors"`
	Unfinished int               `json:"unfinished"`
	PlacedPerS float64           `json:"placed_per_s"`
	ReadyPerS  float64           `json:"ready_per_s"`
	StagesMS   map[string]spread `json:"stages_ms"`
	CPUSeconds float64           `json:"cpu_seconds"`
	PeakRSSMB  float64           `json:"peak_rss_mb"`
	// AWSCallsPerOrder is what the services asked of AWS per order, by
	// "<service> <action>" (in-process runs of the latency phase only).
	AWSCallsPerOrder map[string]float64 `json:"aws_calls_per_order,omitempty"`
}

type targetCheck struct {
	Name string  `json:"name"`
	Want string  `json:"want"`
	Got  float64 `json:"got"`
	Met  bool    `json:"met"`
}

func newResults(cfg config, t *target) results {
	r := results{
		GeneratedAt: time.Now().UTC(), Settings: cfg.Flags, BootMS: t.bootMS, Target: "in-process", Phases: map[string]*phaseOut{},
		Machine:       machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version()},
		FeatureSuiteS: cfg.FeatureSuiteS, cfg: cfg,
	}
	if cfg.URL != "" {
		r.Target = cfg.URL
	}
	return r
}

func (r *results) take(u usage) {
	r.PeakRSSMB = max(r.PeakRSSMB, u.PeakRSSMB)
	r.PeakRSSSelfMB = max(r.PeakRSSSelfMB, u.SelfPeakRSSMB)
	r.PeakRSSChildrenMB = max(r.PeakRSSChildrenMB, u.ChildPeakRSSMB)
	r.CPUSeconds += u.CPUSeconds
}

func (r *results) addFloor(f floorResult, u usage) {
	r.take(u)
	r.Floor = &floorOut{OrdersPerS: f.OrdersPerS, Orders: f.Orders, Errors: f.Errors, Workers: r.cfg.FloorWorkers,
		PerOrder: f.PerOrder, CPUSeconds: u.CPUSeconds, PeakRSSMB: u.PeakRSSMB}
}

func (r *results) addPhase(name string, orders []order, failed int, began time.Time, d time.Duration, u usage) {
	r.take(u)
	left := unfinished(orders)
	p := &phaseOut{
		DurationS: d.Seconds(), Orders: len(orders), Errors: failed, Unfinished: left,
		PlacedPerS: float64(placedWithin(orders, began, began.Add(d))) / d.Seconds(),
		ReadyPerS:  float64(readyWithin(orders, began, began.Add(d))) / d.Seconds(),
		StagesMS:   stageSpreads(orders), CPUSeconds: u.CPUSeconds, PeakRSSMB: u.PeakRSSMB,
	}
	r.Phases[name] = p
	r.Errors += failed + left
	switch name {
	case phaseLatency:
		r.Flow.OrderToKitchenMS, r.Flow.OrderToKitchenRate = p.StagesMS[stageKitchen], p.PlacedPerS
	case phaseFlow:
		r.Flow.OrdersPerS = p.ReadyPerS
	}
}

func (r *results) addPost(orders []order, failed int, elapsed time.Duration, u usage, pipeline string) {
	r.take(u)
	s := stageSpreads(orders)[stagePost]
	r.PostOrder = postResult{ReqPerS: float64(len(orders)) / elapsed.Seconds(), P50MS: s.P50, P95MS: s.P95, P99MS: s.P99,
		Clients: r.cfg.PostClients, Requests: len(orders) + failed, Errors: failed, Pipeline: pipeline}
	r.Phases[phasePost] = &phaseOut{DurationS: elapsed.Seconds(), Orders: len(orders), Errors: failed,
		PlacedPerS: r.PostOrder.ReqPerS, StagesMS: map[string]spread{stagePost: s}, CPUSeconds: u.CPUSeconds, PeakRSSMB: u.PeakRSSMB}
	r.Errors += failed
}

// addAWSCalls keeps the AWS calls made between before and after, per order
// of phase, whose orders were all seen through in between.
func (r *results) addAWSCalls(phase string, before, after map[string]int) {
	p := r.Phases[phase]
	if p == nil || after == nil || p.Orders == 0 {
		return
	}
	p.AWSCallsPerOrder = map[string]float64{}
	for k, n := range after {
		if d := n - before[k]; d > 0 {
			p.AWSCallsPerOrder[k] = math.Round(float64(d)/float64(p.Orders)*100) / 100
		}
	}
}

// finish works out the ratios and checks the targets.
func (r *results) finish(kitchenErrors int64) {
	r.Errors += int(kitchenErrors)
	if r.Floor != nil && r.Floor.OrdersPerS > 0 && r.Flow.OrdersPerS > 0 {
		ratio := r.Flow.OrdersPerS / r.Floor.OrdersPerS
		r.Flow.FloorRatio = &ratio
	}
	check := func(name, want string, got float64, met bool) {
		r.Targets = append(r.Targets, targetCheck{Name: name, Want: want, Got: got, Met: met})
	}
	if r.BootMS > 0 {
		check("boot_ms", "≤ 1500", r.BootMS, r.BootMS <= 1500)
	}
	if r.FeatureSuiteS > 0 {
		check("feature_suite_s", "≤ 60", r.FeatureSuiteS, r.FeatureSuiteS <= 60)
	}
	if p, ok := r.Phases[phaseFlow]; ok {
		check("flow.orders_per_s", "≥ 300 for 30 s", r.Flow.OrdersPerS, r.Flow.OrdersPerS >= 300 && p.DurationS >= 30)
	}
	if _, ok := r.Phases[phaseLatency]; ok {
		check("flow.order_to_kitchen_ms.p99", "≤ 250 at 100 orders/s", r.Flow.OrderToKitchenMS.P99,
			r.Flow.OrderToKitchenMS.N > 0 && r.Flow.OrderToKitchenMS.P99 <= 250 && r.Flow.OrderToKitchenRate >= 95)
	}
	if _, ok := r.Phases[phasePost]; ok {
		check("post_order.req_per_s", "≥ 1500 at 32 clients", r.PostOrder.ReqPerS, r.PostOrder.ReqPerS >= 1500 && r.PostOrder.Clients >= 32)
		check("post_order.p99_ms", "≤ 50", r.PostOrder.P99MS, r.PostOrder.Requests > 0 && r.PostOrder.P99MS <= 50)
	}
	check("peak_rss_mb", "≤ 500", r.PeakRSSMB, r.PeakRSSMB <= 500)
}
