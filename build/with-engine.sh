#!/usr/bin/env bash
# Runs a command with a Docker-compatible container engine at hand, for
# testcontainers-go and the docker/podman CLIs alike:
#
#   build/with-engine.sh <command> [args…]
#
# Where DOCKER_HOST is set, or a Docker engine answers, the command runs as
# it is. Otherwise Podman serves the Docker API on a socket of its own
# (state under COMANDA_PODMAN_ROOT, default /var/tmp/comanda-podman), with
# runc, cgroupfs and the machine's hard limits, since crun and Podman's
# defaults fail on machines like CI's; the command gets DOCKER_HOST and the
# testcontainers settings that go with it (no reaper: its image cannot be
# pulled without a registry; the harness removes what it starts). A Podman
# service this script started is stopped when the command ends; one already
# running is left alone.
set -eu

if [ $# -eq 0 ]; then
	echo "usage: build/with-engine.sh <command> [args…]" >&2
	exit 2
fi

if [ -n "${DOCKER_HOST:-}" ] || { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }; then
	exec "$@"
fi
if ! command -v podman >/dev/null 2>&1; then
	echo "with-engine: no Docker engine answers and podman is not installed (apt-get install podman runc)" >&2
	exit 1
fi

ROOT=${COMANDA_PODMAN_ROOT:-/var/tmp/comanda-podman}
mkdir -p "$ROOT/conf"
# A limit above the hard one makes the OCI runtime fail to start anything.
nofile=$(ulimit -Hn)
[ "$nofile" = unlimited ] && nofile=1048576
nproc=$(ulimit -Hu)
pidmax=$(cat /proc/sys/kernel/pid_max)
if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ]; then
	nproc=$pidmax
fi
cat >"$ROOT/conf/containers.conf" <<EOT
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOT
export CONTAINERS_CONF="$ROOT/conf/containers.conf"

SOCK="$ROOT/podman.sock"
export DOCKER_HOST="unix://$SOCK"
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1

answers() { curl -sf --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

started=
if ! answers; then
	rm -f "$SOCK"
	# Its own session, so that a Ctrl-C meant for the command does not stop
	# the engine before the command has removed its containers.
	setsid podman system service --time=0 "unix://$SOCK" >"$ROOT/service.log" 2>&1 &
	started=$!
	echo "$started" >"$ROOT/podman.pid"
	tries=0
	until answers; do
		tries=$((tries + 1))
		if ! kill -0 "$started" 2>/dev/null || [ "$tries" -gt 300 ]; then
			echo "with-engine: the Podman service did not answer on $SOCK; its log:" >&2
			cat "$ROOT/service.log" >&2
			exit 1
		fi
		sleep 0.1
	done
fi

stop_engine() {
	if [ -n "$started" ]; then
		kill "$started" 2>/dev/null || true
		wait "$started" 2>/dev/null || true
		rm -f "$ROOT/podman.pid"
	fi
}

# The command runs as a child, so that the engine outlives it: a Ctrl-C
# reaches the command (same process group) and is otherwise ignored here
# until the command has finished cleaning up; a TERM sent to this script
# alone is passed on.
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM
trap ':' INT
status=0
while :; do
	wait "$child" && status=0 || status=$?
	kill -0 "$child" 2>/dev/null || break
done
stop_engine
exit "$status"
