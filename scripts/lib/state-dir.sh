# shellcheck shell=bash
# Sourced by service scripts whose daemons run as unprivileged users (the mail stack, Roundcube).
# Usage: STATE="$(reachable_state_dir PATH TAG)"
# Those users must be able to walk down to the state dir. A checkout under a private home (/root is
# 0700) cannot host it, so the state moves to a fixed place of its own in /var/tmp, derived from
# the requested path so that start, stop and env agree on it.

all_parents_searchable() {
  local dir
  dir="$(dirname -- "$1")"
  while [ "$dir" != "/" ]; do
    if [ -e "$dir" ] && [ "$((0$(stat -c '%a' -- "$dir") & 1))" -eq 0 ]; then return 1; fi
    dir="$(dirname -- "$dir")"
  done
}

reachable_state_dir() {
  local state="$1" tag="$2"
  if all_parents_searchable "$state"; then
    printf '%s\n' "$state"
  else
    printf '/var/tmp/%s-%s\n' "$tag" "$(printf '%s' "$state" | sha1sum | cut -c1-12)"
  fi
}
