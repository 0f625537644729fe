#!/usr/bin/env bash
# make tf-smoke: the emulator profile applied to the harness's embedded AWS
# emulator (harness/cmd/awsemu, on a free loopback port), then a plan that
# must show no changes, a Go check of what was made against topology.json,
# a destroy, and a check that nothing is left. The emulator and every file
# the run makes are removed on the way out, whatever happens.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=terraform/env.sh
. "$here/env.sh"

run="$TF_WORK/smoke.$$"
mkdir -p "$run"
emu_pid=
cleanup() {
	status=$?
	[ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null
	rm -rf "$run"
	exit "$status"
}
trap cleanup EXIT INT TERM

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "emulator"
GOFLAGS="${GOFLAGS:-} -buildvcs=false" go build -o "$run/awsemu" "$repo/harness/cmd/awsemu"
AWSEMU_ADDR=127.0.0.1:0 AWSEMU_SIGNING_KEY_ALIAS=alias/comanda-jwt "$run/awsemu" >"$run/awsemu.out" 2>"$run/awsemu.err" &
emu_pid=$!
for _ in $(seq 100); do
	endpoint=$(head -n1 "$run/awsemu.out")
	[ -n "$endpoint" ] && break
	kill -0 "$emu_pid" 2>/dev/null || { cat "$run/awsemu.err"; exit 1; }
	sleep 0.1
done
[ -n "$endpoint" ] || { echo "awsemu did not start" >&2; exit 1; }
echo "kumo at $endpoint"

tf() { terraform -chdir="$here/profiles/emulator" "$@"; }
export TF_DATA_DIR="$run/.terraform" TF_VAR_endpoint="$endpoint"

step "init"
tf init -input=false -no-color -backend-config="path=$run/terraform.tfstate" >"$run/init.log" || { cat "$run/init.log"; exit 1; }

step "apply"
tf apply -auto-approve -input=false -no-color -compact-warnings >"$run/apply.log" 2>&1 || { cat "$run/apply.log"; exit 1; }
grep -E '^Apply complete' "$run/apply.log"

step "plan (no changes expected)"
set +e
tf plan -detailed-exitcode -input=false -no-color -compact-warnings >"$run/plan.log" 2>&1
plan=$?
set -e
if [ "$plan" -ne 0 ]; then
	cat "$run/plan.log"
	echo "tf-smoke: plan after apply is not empty (exit $plan)" >&2
	exit 1
fi
grep -E '^No changes' "$run/plan.log"

step "check what was made against topology.json"
tf output -json >"$run/outputs.json"
(cd "$repo" && COMANDA_TF_SMOKE_OUTPUTS="$run/outputs.json" COMANDA_TF_SMOKE_ENDPOINT="$endpoint" \
	go test -count=1 -v -run 'TestTerraformSmoke/made' ./harness/awsenv/)

step "destroy"
tf destroy -auto-approve -input=false -no-color -compact-warnings >"$run/destroy.log" 2>&1 || { cat "$run/destroy.log"; exit 1; }
grep -E '^Destroy complete' "$run/destroy.log"

step "check nothing is left"
(cd "$repo" && COMANDA_TF_SMOKE_OUTPUTS="$run/outputs.json" COMANDA_TF_SMOKE_ENDPOINT="$endpoint" \
	go test -count=1 -v -run 'TestTerraformSmoke/destroyed' ./harness/awsenv/)

step "tf-smoke passed"
