#!/usr/bin/env bash
# make tf-check: terraform fmt, then for every root (the deployment in
# terraform/, the state bootstrap, the emulator profile) init (offline,
# providers from the filesystem mirror only) and validate, and the
# deployment's tests (tests/*.tftest.hcl, against a mock AWS provider).
# Modules are checked through the roots that call them. The roots run side
# by side; each one's output is shown once it is done.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=terraform/env.sh
. "$here/env.sh"

terraform fmt -check -recursive -diff "$here"

check_root() {
	local root=$1
	export TF_DATA_DIR="$TF_WORK/check/$root"
	terraform -chdir="$here/$root" init -backend=false -input=false -no-color >/dev/null &&
		terraform -chdir="$here/$root" validate -no-color &&
		if [ -d "$here/$root/tests" ]; then terraform -chdir="$here/$root" test -no-color; fi
}

roots=(. bootstrap profiles/emulator)
pids=()
for i in "${!roots[@]}"; do
	check_root "${roots[$i]}" >"$TF_WORK/check.$i.log" 2>&1 &
	pids[i]=$!
done
failed=0
for i in "${!roots[@]}"; do
	if wait "${pids[$i]}"; then
		echo "terraform/${roots[$i]#.}: ok ($(grep -E '^Success' "$TF_WORK/check.$i.log" | tr '\n' ' '))"
	else
		failed=1
		echo "terraform/${roots[$i]#.}: FAILED"
		cat "$TF_WORK/check.$i.log"
	fi
done
exit "$failed"
