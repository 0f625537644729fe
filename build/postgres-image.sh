#!/bin/sh
# Builds comanda/postgres:15, PostgreSQL 15 from Debian's packages, for the
# container backend on a machine with no registry (make image-postgres).
# The root filesystem comes from debootstrap (root only, ~1.5 min) and is
# cached by its inputs (suite, packages, mirror) in COMANDA_CACHE, so that
# the next build only imports it. Settings, from the environment:
#   DOCKER         the CLI (default: docker; podman works too)
#   DEBIAN_MIRROR  the mirror (default: the first one apt is configured with)
#   COMANDA_CACHE  where root filesystems are kept (default: /var/tmp/comanda-cache)
set -eu

cd "$(dirname "$0")/.."
DOCKER=${DOCKER:-docker}
SUITE=bookworm
PACKAGES=postgresql-15
CACHE=${COMANDA_CACHE:-/var/tmp/comanda-cache}
if [ -z "${DEBIAN_MIRROR:-}" ]; then
	DEBIAN_MIRROR=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
	DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
fi

key=$(printf '%s %s %s minbase' "$SUITE" "$PACKAGES" "$DEBIAN_MIRROR" | sha256sum | cut -c1-16)
rootfs="$CACHE/postgres-rootfs-$key.tar"
base="comanda/postgres-rootfs:$key"

if ! "$DOCKER" image inspect "$base" >/dev/null 2>&1; then
	if [ ! -s "$rootfs" ]; then
		command -v debootstrap >/dev/null || { echo "image-postgres: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
		work=$(mktemp -d)
		trap 'rm -rf "$work"' EXIT
		echo "image-postgres: debootstrap $SUITE with $PACKAGES from $DEBIAN_MIRROR"
		debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$work/root" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
			{ tail -20 "$work/debootstrap.log" >&2; exit 1; }
		rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
		mkdir -p "$CACHE"
		tar -C "$work/root" -cf "$rootfs.partial" . && mv "$rootfs.partial" "$rootfs"
	fi
	"$DOCKER" import "$rootfs" "$base" >/dev/null
fi

"$DOCKER" build -q --build-arg BASE="$base" -t comanda/postgres:15 build/postgres >/dev/null
echo "image-postgres: comanda/postgres:15 (from $base)"
