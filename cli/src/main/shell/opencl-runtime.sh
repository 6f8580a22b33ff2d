# Sourced by ./painterly: installs the OpenCL runtime, as .ci/run does, when a command needs a
# device and the machine has none, where that can be done without asking (as root, or with
# passwordless sudo, on a system with apt-get). Where it cannot, the tool itself fails with one
# line saying what to run on this system (OpenClInstall in the cli module).

# Whether the command line runs a job on a device: harmonize, batch, demo, features and bench do,
# unless they only show help or run on the Java backend.
painterly_needs_opencl() {
  local a command="" device="${PAINTERLY_DEVICE:-}" previous=""
  for a in "$@"; do
    case "$a" in
      -h | --help | -V | --version) return 1 ;;
      --device=*) device="${a#--device=}" ;;
      -*) ;;
      *)
        if [ "$previous" = --device ]; then
          device="$a"
        elif [ -z "$command" ]; then
          command="$a"
        fi
        ;;
    esac
    previous="$a"
  done
  case "$command" in
    harmonize | batch | demo | features | bench) ;;
    *) return 1 ;;
  esac
  [ "$(printf '%s' "$device" | tr '[:upper:]' '[:lower:]')" != java ]
}

# Whether an OpenCL platform can be found: the ICD loader and at least one driver (ICD file).
# OCL_ICD_VENDORS is where the ICD loader itself looks instead of /etc/OpenCL/vendors.
painterly_opencl_present() {
  [ "$(uname -s)" = Linux ] || return 0
  local ldconfig
  ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
  # grep reads all of it (no -q): an early exit would fail the pipe under pipefail
  "$ldconfig" -p 2>/dev/null | grep 'libOpenCL\.so\.1' >/dev/null || return 1
  ls "${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}"/*.icd >/dev/null 2>&1
}

# Installs the ICD loader and PoCL with apt-get (after apt-get update if the package lists lack
# them), as root or through passwordless sudo; says so in one line first. Fails quietly where it
# cannot try, and with a line naming apt-get's log where apt-get fails.
painterly_install_opencl() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo=() log
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 1
    sudo=(sudo -n)
  fi
  echo "painterly: no OpenCL runtime found: installing one (apt-get install -y ocl-icd-libopencl1 pocl-opencl-icd)..." >&2
  log="$(mktemp "${TMPDIR:-/tmp}/painterly-apt.XXXXXX")"
  local install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ocl-icd-libopencl1 pocl-opencl-icd)
  if ! { "${install[@]}" || { "${sudo[@]}" apt-get update -q && "${install[@]}"; }; } >"$log" 2>&1; then
    echo "painterly: installing the OpenCL runtime failed (apt-get's output is in $log)" >&2
    return 1
  fi
  rm -f "$log"
}
