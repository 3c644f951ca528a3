# Sourced by the project's service scripts (mail stack, Redis, nginx): installs Debian packages when missing,
# without letting their package scripts start the system's own daemons (ours run from our config).
# Usage: ensure_debian_packages TAG PACKAGE...

ensure_debian_packages() {
  local tag="$1" p missing=()
  shift
  for p in "$@"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -qx 'install ok installed' || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { printf '%s: error: %s is missing and installing it needs root\n' "$tag" "${missing[*]}" >&2; return 1; }
  printf '%s: installing Debian packages: %s\n' "$tag" "${missing[*]}"
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# Written by Letterbox scripts during apt-get install: start no daemons.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created=1
  fi
  local log="/tmp/letterbox-$tag-apt.$$.log" rc=0
  local apt=(apt-get -y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
    printf '%s: apt-get install failed with the current package lists; running apt-get update and retrying\n' "$tag"
    if ! { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends "${missing[@]}"; } >>"$log" 2>&1; then
      tail -n 40 "$log" >&2
      rc=1
    fi
  fi
  [ "$created" = 1 ] && rm -f "$policy"
  [ "$rc" = 0 ] && rm -f "$log"
  return "$rc"
}

# A recorded PID counts only if that process is alive and runs the expected program.
recorded_pid() {
  local pidfile="$1" exe_re="$2" pid exe
  [ -s "$pidfile" ] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  [[ "$exe" =~ $exe_re ]] || return 1
  printf '%s' "$pid"
}

wait_pid_gone() {
  local pid="$1" i
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}
