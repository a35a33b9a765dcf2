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
[ "$failures" = 0 ] || exit 1
echo "Platform rules hold (versions, signing names)."
