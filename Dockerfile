# syntax=docker/dockerfile:1
# One image per service, from this one file:
#   docker buildx build --build-arg SERVICE=auth --platform linux/amd64 -t <repo>:<tag> .
# A static Go binary on distroless (no shell, no package manager), run as
# the unprivileged nonroot user. ECS sets the environment (terraform/).
# SERVICE=dbinit builds the database init task's image the same way.
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
	test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<auth|catalog|order|payment|production|dbinit>" >&2; exit 1; }; \
	CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
	go build -trimpath -ldflags="-s -w" -o /out/service ./services/$SERVICE/cmd/$SERVICE

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/service /service
# The CAs of every RDS region, which DATABASE_URL's sslrootcert names so
# that sslmode=verify-full can check the server. Kept out of
# /etc/ssl/certs, whose every file Go adds to the roots it trusts for all
# TLS (AWS APIs, Mercado Pago); readable by the nonroot user.
ADD --chmod=0644 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /etc/ssl/rds/global-bundle.pem
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/service"]
