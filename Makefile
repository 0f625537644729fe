# Comanda's tasks. The README's two commands are `make run` and `make test`.
GO        ?= go
GOFLAGS   ?=
TESTFLAGS ?= -race -shuffle=on -count=1 -timeout=8m
# Terraform runs offline: hashicorp/aws 5.100.0 comes from this filesystem
# mirror, through the CLI configuration in terraform/.terraformrc.
TF_PLUGIN_MIRROR ?= /opt/tf-plugins
TF_WORK          ?= $(CURDIR)/tmp/terraform
TF_ENV            = TF_PLUGIN_MIRROR=$(TF_PLUGIN_MIRROR) TF_WORK=$(TF_WORK)

.PHONY: run run-containers test test-ui check fmt vet build features features-containers tf-check tf-smoke

# BACKEND picks where run and soak put the system: embedded (in this
# process, on the machine's PostgreSQL binaries and the embedded AWS
# emulator) or containers (every part an image, started by
# testcontainers-go; its images are built first). The container backend's
# own settings: COMANDA_POSTGRES_IMAGE (postgres:15 where a registry is
# reachable; by default the one built here) and COMANDA_AWS_EMULATOR
# (awsemu, or localstack for localstack/localstack:4.14.0).
BACKEND                ?= embedded
COMANDA_POSTGRES_IMAGE ?= comanda/postgres:15
COMANDA_AWS_EMULATOR   ?= awsemu
CONTAINER_IMAGES = images $(if $(filter comanda/postgres:%,$(COMANDA_POSTGRES_IMAGE)),image-postgres)
# A command on containers runs with these settings, through a script that
# makes sure a Docker-compatible engine answers (Podman's socket where no
# Docker engine runs).
CONTAINERS_ENV = COMANDA_BACKEND=containers IMAGE_TAG=$(IMAGE_TAG) COMANDA_POSTGRES_IMAGE=$(COMANDA_POSTGRES_IMAGE) COMANDA_AWS_EMULATOR=$(COMANDA_AWS_EMULATOR)
WITH_ENGINE    = build/with-engine.sh
ifeq ($(BACKEND),containers)
BACKEND_IMAGES = $(CONTAINER_IMAGES)
BACKEND_ENV    = $(CONTAINERS_ENV)
BACKEND_WRAP   = $(WITH_ENGINE)
else ifneq ($(BACKEND),embedded)
$(error BACKEND=$(BACKEND): want embedded or containers)
endif

## run: the whole system on fixed local ports (gateway :8080, fake Mercado Pago :8090); BACKEND=containers runs it as containers
# Built, then exec'd, so that Ctrl-C and a SIGTERM sent to make reach the
# sandbox itself (go run would not pass SIGTERM on).
run: $(BACKEND_IMAGES)
	$(GO) build -o bin/sandbox ./harness/cmd/sandbox
	$(BACKEND_ENV) exec $(BACKEND_WRAP) bin/sandbox

## run-containers: make run with every part a container; Ctrl-C removes them all
run-containers:
	$(MAKE) run BACKEND=containers

## test: formatting, vet, staticcheck, the API spec's lint, the Terraform check, then every test (unit, store, handler and the Gherkin features) with -race
test: check lint lint-api tf-check
	$(GO) test $(TESTFLAGS) ./...

## check: gofmt and go vet, as the test target runs them
check: fmt vet

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

.PHONY: lint fuzz

## lint: go vet and staticcheck (its version pinned by the tool directive in go.mod)
lint: vet
	$(GO) tool staticcheck ./...

.PHONY: lint-api

## lint-api: Redocly CLI's lint of api/openapi.yaml (rules in api/redocly.yaml), the CLI from npm at a pinned version
# Skipped, saying so, where npx is missing or the CLI cannot be fetched:
# go test ./api validates the spec as well, with no network.
REDOCLY_VERSION ?= 2.77.0
REDOCLY          = REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx --yes @redocly/cli@$(REDOCLY_VERSION)
lint-api:
	@if ! command -v npx >/dev/null 2>&1; then \
		echo "lint-api: skipped, npx not found (go test ./api still checks api/openapi.yaml)"; \
	elif ! $(REDOCLY) --version >/dev/null 2>&1; then \
		echo "lint-api: skipped, @redocly/cli@$(REDOCLY_VERSION) could not be fetched (go test ./api still checks api/openapi.yaml)"; \
	else \
		$(REDOCLY) lint --config api/redocly.yaml --format stylish api/openapi.yaml; \
	fi

## fuzz: every fuzz target (func Fuzz… in a _test.go file) for FUZZTIME each
# Minimizing each new interesting input (a token is 600 bytes) would
# otherwise eat most of a short run.
FUZZTIME         ?= 10s
FUZZMINIMIZETIME ?= 2s
fuzz:
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' services fakes harness); do \
		for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
			echo "fuzz: $$target in ./$$(dirname $$file) for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./$$(dirname $$file); \
		done; \
	done

## build: every binary, to check they link
build:
	$(GO) build ./...

.PHONY: conformance

## conformance: the Payments API suite through the official SDK, against the fake in-process and, with MP_ACCESS_TOKEN (test credentials) set, against Mercado Pago too
# The token reaches the tests through the environment, never on a command
# line make prints.
conformance: export MP_ACCESS_TOKEN := $(MP_ACCESS_TOKEN)
conformance:
	$(GO) test -count=1 -v -timeout=10m ./fakes/mercadopago/conformance/...

## test-ui: the console in headless Chromium (Debian's chromium): an order from placed to delivered and a dead letter redriven, by clicks; screenshots in bin/console-screens
test-ui:
	$(GO) test -race -count=1 ./harness/console -run TestConsoleInABrowser -browser -v

## features: only the Gherkin features; pass TAGS=@payment to pick some
features:
	$(GO) test -race -count=1 ./features -run TestFeatures -godog.tags='$(TAGS)' -v

## features-containers: every test of ./features (the Gherkin suite and the tests beside it) against the system as containers, through the gateway's container; the images are built first; TAGS as for features
features-containers: $(CONTAINER_IMAGES)
	$(CONTAINERS_ENV) $(WITH_ENGINE) $(GO) test -race -count=1 ./features -godog.tags='$(TAGS)' -v

## tf-check: terraform fmt -check, then init (offline, from the mirror) and validate of every root
tf-check:
	$(TF_ENV) terraform/check.sh

## tf-smoke: apply the emulator profile to the embedded AWS emulator, plan (no changes), check, destroy
tf-smoke:
	$(TF_ENV) terraform/smoke.sh

.PHONY: soak bench

## soak: SOAK_ORDERS orders (200) through the whole system under random faults; one verdict line, non-zero unless all is well; BACKEND=containers soaks the containers
SOAK_ORDERS ?= 200
SOAK_FLAGS  ?=
soak: $(BACKEND_IMAGES)
	$(GO) build -o bin/soak ./harness/cmd/soak
	$(BACKEND_ENV) $(BACKEND_WRAP) bin/soak -orders $(SOAK_ORDERS) $(SOAK_FLAGS)

## bench: time the feature suite, then the load tool (boot, floor, latency, flow, POST /order), then what telemetry costs; writes bench/results.json, bench/latency.svg and bench/tracing.json
# The suite runs as `make features` runs it (with -race), from a prebuilt
# test binary so that compiling is not timed. BENCH_FLAGS go to the load
# tool, e.g. BENCH_FLAGS='-flow-duration 10s -cpuprofile bench/cpu.prof';
# TRACING_FLAGS to its -tracing-cost run, e.g. TRACING_FLAGS='-tracing-rounds 4'.
BENCH_FLAGS ?=
TRACING_FLAGS ?=
bench:
	$(GO) build -o bin/loadtest ./harness/cmd/loadtest
	$(GO) test -race -c -o bin/features.test ./features
	@start=$$(date +%s%N); \
	(cd features && ../bin/features.test -test.run '^TestFeatures$$' -test.count=1 > ../bin/features.log 2>&1) \
		|| { tail -50 bin/features.log; echo "bench: the feature suite failed"; exit 1; }; \
	secs=$$(awk "BEGIN { printf \"%.1f\", ($$(date +%s%N) - $$start) / 1e9 }"); \
	echo "feature suite: $$secs s"; \
	bin/loadtest -feature-suite-seconds $$secs $(BENCH_FLAGS)
	bin/loadtest -tracing-cost $(TRACING_FLAGS)

.PHONY: images push image-postgres

## images: every image, built here with no registry (static binaries on scratch): the six services' and dbinit's, plus the gateway stand-in, the fake Mercado Pago and the AWS emulator for local use; IMAGES=auth picks some
# comanda/<component>:<IMAGE_TAG> and :latest. DOCKER is the CLI: docker
# where an engine answers, else podman.
DOCKER    ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)
IMAGE_TAG ?= $(shell t=$$(git rev-parse --short=12 HEAD); git diff --quiet HEAD -- || t=$$t-dirty; echo $$t)
IMAGES    ?=
images:
	DOCKER=$(DOCKER) IMAGE_TAG=$(IMAGE_TAG) build/images.sh $(IMAGES)


## image-postgres: comanda/postgres:15 from Debian's postgresql-15 (debootstrap, as root; its root filesystem cached by its inputs), for the container backend where postgres:15 cannot be pulled
image-postgres:
	DOCKER=$(DOCKER) build/postgres-image.sh

## push: tag the deployed images (the services and dbinit) for REGISTRY and push them, e.g. REGISTRY=<account>.dkr.ecr.<region>.amazonaws.com; terraform's image_tag is IMAGE_TAG
DEPLOYED = auth catalog order payment production dbinit
push:
	@test -n "$(REGISTRY)" || { echo "push: set REGISTRY, e.g. REGISTRY=123456789012.dkr.ecr.us-east-1.amazonaws.com"; exit 2; }
	@set -e; for c in $(DEPLOYED); do \
		$(DOCKER) tag comanda/$$c:$(IMAGE_TAG) $(REGISTRY)/comanda/$$c:$(IMAGE_TAG); \
		$(DOCKER) push $(REGISTRY)/comanda/$$c:$(IMAGE_TAG); \
	done; echo "push: terraform apply -var image_tag=$(IMAGE_TAG)"

.PHONY: vendor-redoc

## vendor-redoc: refresh the API reference's renderer (Redoc's standalone bundle, from npm) served by the local gateway at /docs
REDOC_VERSION ?= 2.5.4
vendor-redoc:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	(cd $$tmp && npm pack --silent redoc@$(REDOC_VERSION) >/dev/null && tar xzf redoc-$(REDOC_VERSION).tgz); \
	cp $$tmp/package/bundles/redoc.standalone.js $$tmp/package/bundles/redoc.standalone.js.LICENSE.txt harness/gateway/apidocs/; \
	cp $$tmp/package/LICENSE harness/gateway/apidocs/LICENSE.redoc; \
	echo "vendor-redoc: redoc $(REDOC_VERSION) in harness/gateway/apidocs"
