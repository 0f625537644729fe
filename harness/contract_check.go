package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/comanda/comanda/api"
	"github.com/comanda/comanda/services/platform/web"
)

// ContractViolation is one exchange through the gateway that api/openapi.yaml
// does not allow: a response it does not describe, or a request it refuses
// that was answered as if it were fine.
type ContractViolation struct {
	Operation string // "POST /order", or the request line when no operation matches
	Status    int
	Problem   string
}

func (v ContractViolation) String() string {
	return fmt.Sprintf("%s → %d: %s", v.Operation, v.Status, v.Problem)
}

// contractCheck validates every exchange through the gateway against the
// spec, both ways: each response must be one the spec describes for its
// operation and status (error answers included), and a request the spec
// refuses must be refused (4xx). It keeps the violations and the
// operations exercised.
type contractCheck struct {
	router routers.Router
	doc    *openapi3.T

	mu         sync.Mutex
	checked    int
	violations []ContractViolation
	exercised  map[string]bool // "METHOD /path/{template}"
}

// uuidFormat defines the uuid string format, once: kin-openapi keeps its
// format validators in a package-level map, and checks none it was not
// given, so "format: uuid" would otherwise let any string through.
var uuidFormat sync.Once

func newContractCheck(ctx context.Context) (*contractCheck, error) {
	uuidFormat.Do(func() {
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562))
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec())
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(ctx); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	doc.Servers = nil // match the harness's gateway, on whatever port
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route api/openapi.yaml: %w", err)
	}
	return &contractCheck{router: router, doc: doc, exercised: map[string]bool{}}, nil
}

// observe wraps the gateway: it copies each request body as the gateway
// reads it and each answer as the gateway writes it, then checks the pair.
func (c *contractCheck) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var reqBody bytes.Buffer
		if r.Body != nil {
			r.Body = readTee{r.Body, &reqBody, web.MaxBodyBytes + 1}
		}
		rec := &answerRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		c.check(r, reqBody.Bytes(), rec)
	})
}

// check validates one exchange and records any violation.
func (c *contractCheck) check(r *http.Request, reqBody []byte, rec *answerRecorder) {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
	ctx := context.WithoutCancel(r.Context())
	req := r.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.checkUnrouted(r, rec, err)
		return
	}
	operation := route.Method + " " + route.Path
	c.mu.Lock()
	c.exercised[operation] = true
	c.mu.Unlock()
	options := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: options}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && rec.status < 400 {
		c.record(operation, rec.status, "the spec refuses the request, the service accepted it: "+oneLine(err))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.status,
		Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), Options: options}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		c.record(operation, rec.status, "the response is not the spec's: "+oneLine(err))
	}
}

// checkUnrouted accepts a path or method the spec does not have only when
// the gateway refused it in the one error shape (404 or 405).
func (c *contractCheck) checkUnrouted(r *http.Request, rec *answerRecorder, routeErr error) {
	operation := r.Method + " " + r.URL.Path
	if errors.Is(routeErr, routers.ErrMethodNotAllowed) && rec.status == http.StatusMethodNotAllowed ||
		errors.Is(routeErr, routers.ErrPathNotFound) && rec.status == http.StatusNotFound {
		if code := errorCode(rec.body.Bytes()); code == "" {
			c.record(operation, rec.status, "not in the spec, and not answered in the error shape: "+rec.body.String())
		}
		return
	}
	c.record(operation, rec.status, "not in the spec: "+routeErr.Error())
}

func (c *contractCheck) record(operation string, status int, problem string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.violations) < 1000 {
		c.violations = append(c.violations, ContractViolation{Operation: operation, Status: status, Problem: problem})
	}
}

// Violations returns what was recorded so far, in order.
func (c *contractCheck) Violations() []ContractViolation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.violations)
}

// Checked is how many exchanges were checked.
func (c *contractCheck) Checked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checked
}

// Unexercised lists the spec's operations no exchange has used yet.
func (c *contractCheck) Unexercised() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var missing []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			if op := method + " " + path; !c.exercised[op] {
				missing = append(missing, op)
			}
		}
	}
	slices.Sort(missing)
	return missing
}

// readTee copies what is read of a body, up to max bytes.
type readTee struct {
	io.ReadCloser
	copy *bytes.Buffer
	max  int
}

func (t readTee) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := t.max - t.copy.Len(); room > 0 {
		t.copy.Write(p[:min(n, room)])
	}
	return n, err
}

// answerRecorder passes an answer on and keeps a copy of it.
type answerRecorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(status int) {
	a.status = status
	a.ResponseWriter.WriteHeader(status)
}

func (a *answerRecorder) Write(p []byte) (int, error) {
	a.body.Write(p)
	return a.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// errorCode is the error.code of an error body, or "".
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return ""
	}
	return e.Error.Code
}

// oneLine is err on one line, for a violation's problem.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// ContractViolations returns the exchanges through the gateway that the
// spec does not allow, when Options.CheckContract is set; nil otherwise.
func (s *System) ContractViolations() []ContractViolation {
	if s.contract == nil {
		return nil
	}
	return s.contract.Violations()
}

// ContractChecked is how many exchanges through the gateway were checked
// against the spec (0 unless Options.CheckContract is set).
func (s *System) ContractChecked() int {
	if s.contract == nil {
		return 0
	}
	return s.contract.Checked()
}

// UnexercisedOperations lists the spec's operations that no exchange through
// the gateway has used, when Options.CheckContract is set.
func (s *System) UnexercisedOperations() []string {
	if s.contract == nil {
		return nil
	}
	return s.contract.Unexercised()
}

// observeGateway is the gateway's Observe setting: the contract check, or
// nothing.
func (s *System) observeGateway() func(http.Handler) http.Handler {
	if s.contract == nil {
		return nil
	}
	return s.contract.observe
}
