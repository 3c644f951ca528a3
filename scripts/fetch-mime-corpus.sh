#!/usr/bin/env bash
# Fetches deliberately malformed and torture-test MIME messages for the tests, from two Debian
# packages that ship them as test data:
#   golang-github-jhillyerd-enmime-dev  enmime's testdata/ (low-quality, mail, parts)  -> DEST/enmime/
#   libmime-explode-perl                MIME::Explode's examples/testmsgs/            -> DEST/mime-explode/
# Usage: scripts/fetch-mime-corpus.sh [DEST]   (default .data/mime-corpus)
# Does nothing when DEST already holds both sets.
set -euo pipefail
export LC_ALL=C

DEST="${1:-.data/mime-corpus}"
ENMIME_PKG=golang-github-jhillyerd-enmime-dev
EXPLODE_PKG=libmime-explode-perl

count_files() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }

if [ "$(count_files "$DEST/enmime")" -gt 0 ] && [ "$(count_files "$DEST/mime-explode")" -gt 0 ]; then
  echo "[mime-corpus] already in $DEST: $(count_files "$DEST/enmime") enmime, $(count_files "$DEST/mime-explode") mime-explode files"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# apt-get download drops to the _apt user when it can; let that user write the directory so it
# does not fall back to downloading unsandboxed as root (and warn about it).
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$work"; fi

download() { (cd "$work" && apt-get download -q "$ENMIME_PKG" "$EXPLODE_PKG") 2>&1; }

if ! output="$(download)"; then
  # Only missing package lists are fixed here (a fresh container); any other failure is reported.
  if grep -qE "Unable to locate package|has no installation candidate|Can't select (candidate|versions)" <<<"$output"; then
    echo "[mime-corpus] package lists missing, running apt-get update"
    apt-get update -q >/dev/null
    output="$(download)" || { echo "$output" >&2; exit 1; }
  else
    echo "$output" >&2
    exit 1
  fi
fi

enmime_deb="$(find "$work" -maxdepth 1 -name "${ENMIME_PKG}_*.deb" | head -n 1)"
explode_deb="$(find "$work" -maxdepth 1 -name "${EXPLODE_PKG}_*.deb" | head -n 1)"
[ -n "$enmime_deb" ] && [ -n "$explode_deb" ] || { echo "[mime-corpus] apt-get download left no .deb files" >&2; exit 1; }

# The directories are looked up in the packages' file lists rather than hard-coded, so another
# package version with another Go path layout still works.
dir_in_deb() { dpkg -c "$1" | awk '{ print $NF }' | grep -E "$2" | head -n 1 | sed -e 's|^\./||' -e 's|/$||'; }
enmime_dir="$(dir_in_deb "$enmime_deb" '/jhillyerd/enmime/testdata/$')"
explode_dir="$(dir_in_deb "$explode_deb" '/examples/testmsgs/$')"
[ -n "$enmime_dir" ] || { echo "[mime-corpus] no enmime testdata/ in $enmime_deb" >&2; exit 1; }
[ -n "$explode_dir" ] || { echo "[mime-corpus] no examples/testmsgs/ in $explode_deb" >&2; exit 1; }

root="$work/root"
mkdir -p "$root"
dpkg -x "$enmime_deb" "$root"
dpkg -x "$explode_deb" "$root"

# A test-data file is a message when it is named like one, or when it starts like one: a header
# field or an mbox "From " line. enmime's *.golden files are excluded: they are the expected output
# of its encoder tests, not input messages, and testdata/attach holds attachment payloads.
looks_like_message() {
  case "$1" in
    *.raw | *.eml | *.msg | *.mbx | *.mbox) return 0 ;;
    *.golden) return 1 ;;
  esac
  local first
  first="$(grep -m 1 -v '^[[:space:]]*$' "$1" 2>/dev/null | head -c 200 || true)"
  [[ "$first" =~ ^[!-9\;-~]+: ]] || [[ "$first" == "From "* ]]
}

stage="$work/stage"
copy_set() { # source-dir target-subdir filter
  local source="$root/$1" target="$stage/$2" filter="$3" file rel
  while IFS= read -r -d '' file; do
    if [ "$filter" = messages ] && ! looks_like_message "$file"; then continue; fi
    rel="${file#"$source"/}"
    mkdir -p "$target/$(dirname "$rel")"
    case "$file" in
      # Debian compresses larger documentation files; the tests want the message itself.
      *.gz) gzip -dc "$file" >"$target/${rel%.gz}" ;;
      *) cp "$file" "$target/$rel" ;;
    esac
  done < <(find "$source" -type f -print0 | sort -z)
}
# enmime's subdirectories repeat file names (mail/header-only.raw, parts/header-only.raw), so the
# layout below testdata/ is kept.
copy_set "$enmime_dir" enmime messages
copy_set "$explode_dir" mime-explode all

enmime_count="$(count_files "$stage/enmime")"
explode_count="$(count_files "$stage/mime-explode")"
if [ "$enmime_count" -eq 0 ] || [ "$explode_count" -eq 0 ]; then
  echo "[mime-corpus] found no messages ($enmime_count enmime, $explode_count mime-explode)" >&2
  exit 1
fi
mkdir -p "$DEST"
rm -rf "$DEST/enmime" "$DEST/mime-explode"
mv "$stage/enmime" "$DEST/enmime"
mv "$stage/mime-explode" "$DEST/mime-explode"
echo "[mime-corpus] copied $((enmime_count + explode_count)) files to $DEST: $enmime_count enmime, $explode_count mime-explode"
