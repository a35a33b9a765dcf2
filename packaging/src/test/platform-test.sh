#!/usr/bin/env bash
# Checks the version and signing-name rules of packaging/platform.sh, which only the macOS and
# Windows runners would otherwise meet.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
source "$HERE/platform.sh"
failures=0
expect() {
  local got want="$1"; shift
  got="$("$@" 2> /dev/null)" || got="<refused>"
  if [ "$got" != "$want" ]; then
    echo "platform test: $* gave '$got', want '$want'" >&2
    failures=$((failures + 1))
  fi
}
expect 0.1.0 installer_version linux 0.1.0-SNAPSHOT
expect 0.1.0 installer_version windows 0.1.0
expect 1.1.0 installer_version mac 0.1.0-SNAPSHOT
expect 2.2.3 installer_version mac 1.2.3
expect 11.0.9 installer_version mac 10.0.9
expect 1 installer_version mac 0
expect 1.9 installer_version mac 0.9
expect "<refused>" installer_version mac 1.2.3.4
expect "<refused>" installer_version linux 1.2-beta
# Later releases stay after earlier ones on macOS.
older="$(installer_version mac 0.9.9)"; newer="$(installer_version mac 1.0.0)"
[ "$(printf '%s\n%s\n' "$newer" "$older" | sort -V | tail -1)" = "$newer" ] \
  || { echo "platform test: $newer does not sort after $older" >&2; failures=$((failures + 1)); }

expect "Example Ltd (AB12CD34EF)" mac_signing_name "Developer ID Application: Example Ltd (AB12CD34EF)"
expect "Example Ltd (AB12CD34EF)" mac_signing_name "Example Ltd (AB12CD34EF)"
# GitHub's runners retired Node 20 actions in 2026: each action must be at a major that runs on
# Node 24, and the runners' package lists are stale until updated.
declare -A NODE24=([actions/checkout]=5 [actions/setup-java]=5 [actions/upload-artifact]=6)
for workflow in "$HERE"/../.github/workflows/*.yml; do
  while read -r action major; do
    want="${NODE24[$action]:-}"
    if [ -z "$want" ]; then
      echo "platform test: $(basename "$workflow") uses $action, whose Node 24 major is not known here" >&2; failures=$((failures + 1))
    elif [ "$major" -lt "$want" ]; then
      echo "platform test: $(basename "$workflow") uses $action@v$major, a Node 20 action (want v$want or later)" >&2; failures=$((failures + 1))
    fi
  done < <(sed -n 's/.*uses: *\([^@]*\)@v\([0-9]*\).*/\1 \2/p' "$workflow")
  if grep -n "apt-get install" "$workflow" | grep -v "apt-get update" | grep -q .; then
    echo "platform test: $(basename "$workflow") installs packages without apt-get update first" >&2; failures=$((failures + 1))
  fi
done

[ "$failures" = 0 ] || exit 1
echo "Platform rules hold (versions, signing names, workflow actions)."
