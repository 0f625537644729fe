#!/usr/bin/env bash
# Vendors the console's scripts from npm (htmx and its SSE extension) into
# harness/console/static/vendor, where go:embed takes them: the console has
# no build step and works offline. Run it to move to other versions, then
# change the file names in harness/console/templates/layout.html.
set -euo pipefail
HTMX=${HTMX:-2.0.11}
SSE=${SSE:-2.2.4}
dest=$(cd "$(dirname "$0")/.." && pwd)/harness/console/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "htmx.org@$HTMX" "htmx-ext-sse@$SSE" >/dev/null
mkdir htmx sse
tar xzf "htmx.org-$HTMX.tgz" -C htmx
tar xzf "htmx-ext-sse-$SSE.tgz" -C sse
rm -f "$dest"/*
cp htmx/package/dist/htmx.min.js "$dest/htmx-$HTMX.min.js"
cp htmx/package/LICENSE "$dest/htmx.LICENSE"
cp sse/package/dist/sse.min.js "$dest/htmx-ext-sse-$SSE.min.js"
cp sse/package/LICENSE "$dest/htmx-ext-sse.LICENSE"
ls -l "$dest"
