# Sourced by check.sh and smoke.sh: Terraform offline, with the repository's
# CLI configuration pointed at the provider mirror.
#   TF_PLUGIN_MIRROR  the filesystem mirror holding hashicorp/aws 5.100.0 (/opt/tf-plugins)
#   TF_WORK           scratch space for data dirs and state (<repo>/tmp/terraform)
TF_PLUGIN_MIRROR=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
TF_WORK=${TF_WORK:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tmp/terraform}
provider_dir="$TF_PLUGIN_MIRROR/registry.terraform.io/hashicorp/aws/5.100.0"
if [ ! -d "$provider_dir" ]; then
	echo "terraform: no hashicorp/aws 5.100.0 under $provider_dir;" \
		"set TF_PLUGIN_MIRROR to the mirror (find / -name 'terraform-provider-aws*' shows it)" >&2
	exit 1
fi
command -v terraform >/dev/null || { echo "terraform: not on PATH" >&2; exit 1; }
mkdir -p "$TF_WORK"
# The checked-in CLI configuration names /opt/tf-plugins; another mirror
# gets a copy with its own path.
sed "s|/opt/tf-plugins|$TF_PLUGIN_MIRROR|" "$(dirname "${BASH_SOURCE[0]}")/.terraformrc" >"$TF_WORK/terraformrc"
export TF_CLI_CONFIG_FILE="$TF_WORK/terraformrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_DATA_DIR
