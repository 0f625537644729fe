# Comanda's tasks. The README's two commands are `make run` and `make test`.
GO        ?= go
GOFLAGS   ?=
TESTFLAGS ?= -race -shuffle=on -count=1 -timeout=8m

.PHONY: run test check fmt vet build features

## run: the whole system on fixed local ports (gateway :8080, fake Mercado Pago :8090)
# Built, then exec'd, so that Ctrl-C and a SIGTERM sent to make reach the
# sandbox itself (go run would not pass SIGTERM on).
run:
	$(GO) build -o bin/sandbox ./harness/cmd/sandbox
	exec bin/sandbox

## test: formatting, vet, then every test (unit, store, handler and the Gherkin features) with -race
test: check
	$(GO) test $(TESTFLAGS) ./...

## check: gofmt and go vet, as the test target runs them
check: fmt vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## build: every binary, to check they link
build:
	$(GO) build ./...

## features: only the Gherkin features; pass TAGS=@payment to pick some
features:
	$(GO) test -race -count=1 ./harness -run TestFeatures -godog.tags='$(TAGS)' -v
