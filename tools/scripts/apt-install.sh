# Sourced by the ensure-*.sh installers (Chromium, the S3 clients, butteraugli, the walkthrough's curl
# and jq): one way to install a missing Debian package, or to say how when we cannot.
#
# apt_install LABEL NO_APT_HINT PACKAGE...
#   As root with apt-get: installs PACKAGE... quietly. Otherwise prints, prefixed by LABEL, the command to
#   run as root, or NO_APT_HINT where there is no apt-get, and returns 1 (the callers run under `set -e`).
apt_install() {
  local label=$1 no_apt_hint=$2
  shift 2
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "${label}: missing $*; as root run: apt-get update && apt-get install -y $*" >&2
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "${label}: missing $* and apt-get is not available; ${no_apt_hint}" >&2
    return 1
  fi
  echo "${label}: installing Debian's $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
  echo "${label}: installed $*"
}
