# syntax=docker/dockerfile:1
# One image per service, from this one file:
#   docker buildx build --build-arg SERVICE=auth --platform linux/amd64 -t <repo>:<tag> .
# A static Go binary on distroless (no shell, no package manager), run as
# the unprivileged nonroot user. ECS sets the environment (terraform/).
ARG GO_VERSION=1.26

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
ARG SERVICE
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY services ./services
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
	test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<auth|catalog|order|payment|production>" >&2; exit 1; }; \
	CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
	go build -trimpath -ldflags="-s -w" -o /out/service ./services/$SERVICE/cmd/$SERVICE

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/service /service
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/service"]
