#!/usr/bin/env bash
# Installs the Linux package as a person would, uses the installed `skylift` and window against a
# sandbox run from the build (the package has none), removes the package and checks nothing is left
# behind. Needs root, Xvfb, ImageMagick and xwininfo (x11-utils); .ci/run installs them.
# Run after `./mvnw -Pinstaller -DskipTests install` (which also builds app/target/skylift.jar).
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
# Package sizes, in bytes, that a download over a slow line should not exceed.
MAX_DEB=$((60 * 1000 * 1000))
DEB="$(ls "$HERE"/target/installer/skylift_*_amd64.deb)"
WORK="$(mktemp -d /tmp/skylift-install-XXXXXX)"
SANDBOX_PID=""
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "install test: $*" >&2; exit 1; }

DEB_SIZE="$(stat -c %s "$DEB")"
echo "Installing $(basename "$DEB") ($(( DEB_SIZE / 1000 / 1000 )) MB)"
[ "$DEB_SIZE" -le "$MAX_DEB" ] || fail "the package is $DEB_SIZE bytes, more than $MAX_DEB"
dpkg -i "$DEB" > "$WORK/dpkg.log" 2>&1 || { apt-get install -f -y -qq > /dev/null && dpkg -i "$DEB" > "$WORK/dpkg.log"; }
dpkg -L skylift > "$WORK/files.txt"
echo "Installed size: $(du -sm /opt/skylift | cut -f1) MB ($(du -sm /opt/skylift/lib/runtime | cut -f1) MB runtime," \
  "$(ls /opt/skylift/lib/app/*.jar | wc -l) jars of $(du -cm /opt/skylift/lib/app/*.jar | tail -1 | cut -f1) MB)"
# The sandbox stays with the developer build: no handler, no S3 server, no Jetty in the package.
sandbox_parts="$(ls /opt/skylift/lib/app | grep -E '^(skylift-backend-lambda|skylift-local-s3|s3proxy|jetty|jclouds|aws-lambda-java)' || true)"
[ -z "$sandbox_parts" ] || fail "the package carries the sandbox's parts: $sandbox_parts"

SKYLIFT=/opt/skylift/bin/skylift
[ -x "$SKYLIFT" ] || fail "no command line at $SKYLIFT"
[ -x /opt/skylift/bin/Skylift ] || fail "no window launcher"
# Each launcher its own collector (ADR 2 and 3), one option a line as the JVM takes them.
grep -qx "java-options=-XX:+UseZGC" /opt/skylift/lib/app/Skylift.cfg || fail "the window's launcher does not run ZGC: $(cat /opt/skylift/lib/app/Skylift.cfg)"
grep -qx "java-options=-XX:+UseSerialGC" /opt/skylift/lib/app/skylift.cfg || fail "the command line's launcher does not run the serial collector: $(cat /opt/skylift/lib/app/skylift.cfg)"
[ -f /usr/share/applications/skylift.desktop ] || fail "no menu entry"
"$SKYLIFT" --version | grep -q "^skylift " || fail "skylift --version did not answer"

export SKYLIFT_DATA_DIR="$WORK/data"
xvfb-run -a "$SKYLIFT" doctor | tee "$WORK/doctor.txt"
grep -q "AWS CRT native library *loaded" "$WORK/doctor.txt" || fail "the CRT native library did not load"
grep -q "JavaFX native libraries *loaded" "$WORK/doctor.txt" || fail "the JavaFX native libraries did not load"

grep -q "Local sandbox *not in this build" "$WORK/doctor.txt" || fail "doctor does not say the sandbox is not in this build"
if "$SKYLIFT" sandbox --port 0 > /dev/null 2> "$WORK/no-sandbox.txt"; then fail "the installed skylift started a sandbox it does not have"; fi
grep -q "no local sandbox" "$WORK/no-sandbox.txt" || fail "skylift sandbox did not say there is none: $(cat "$WORK/no-sandbox.txt")"

# Upload with the installed command line to a sandbox run from the build, as a developer would.
"$REPO/skylift" sandbox --port 0 --json > "$WORK/sandbox.json" 2> "$WORK/sandbox.log" &
SANDBOX_PID=$!
for _ in $(seq 1 600); do [ -s "$WORK/sandbox.json" ] && break; sleep 0.1; done
[ -s "$WORK/sandbox.json" ] || fail "the build's sandbox did not start: $(cat "$WORK/sandbox.log")"
field() { python3 -c "import json; print(json.load(open('$WORK/sandbox.json'))['$1'])"; }
export SKYLIFT_API="$(field api)" SKYLIFT_TOKEN="$(field photographerToken)"
head -c $((40 * 1024 * 1024)) /dev/urandom > "$WORK/photo.raw"
"$SKYLIFT" upload "$WORK/photo.raw" --to installed --json > "$WORK/upload.json"
grep -q '"state":"done"' "$WORK/upload.json" || fail "the upload did not finish: $(cat "$WORK/upload.json")"
"$SKYLIFT" ls u/sandbox-photographer/installed/ | grep -q "photo.raw" || fail "the uploaded file is not listed"
echo "Uploaded with the installed command line: $(cat "$WORK/upload.json")"

# The installed window, pointed at the same sandbox as a person who was given a token would be:
# it must open signed in (its title names the API's host) and draw.
python3 - "$SKYLIFT_DATA_DIR/settings.json" "$SKYLIFT_API" "$SKYLIFT_TOKEN" <<'PY'
import json, os, sys
path, api, token = sys.argv[1:]
with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
    json.dump({"connection": "api", "apiUrl": api, "token": token, "connections": 8, "partSizeMiB": 0,
               "bandwidthMBps": 0, "downloadFolder": os.path.dirname(path), "theme": "system", "direct": None}, out)
PY
unset SKYLIFT_API SKYLIFT_TOKEN
xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
  /opt/skylift/bin/Skylift > '$WORK/window.log' 2>&1 &
  window=\$!
  signed_in=no
  for _ in \$(seq 1 60); do
    sleep 1
    xwininfo -root -tree | grep -q '\"Skylift - 127.0.0.1\"' && { signed_in=yes; break; }
  done
  sleep 3
  import -window root '$WORK/installed-window.png'
  kill \$window; wait \$window || true
  [ \$signed_in = yes ]" || fail "the installed window did not open signed in to the sandbox within 60 s; log: $(cat "$WORK/window.log")"
deviation="$(identify -format '%[fx:standard_deviation]' "$WORK/installed-window.png")"
awk -v d="$deviation" 'BEGIN { exit !(d > 0.05) }' || fail "the window's screenshot is blank (deviation $deviation); log: $(cat "$WORK/window.log")"
cp "$WORK/installed-window.png" "$HERE/target/installed-window.png"
echo "The installed window drew itself: packaging/target/installed-window.png"

kill "$SANDBOX_PID"; wait "$SANDBOX_PID" 2> /dev/null || true; SANDBOX_PID=""
dpkg -r skylift > /dev/null
left=0
while read -r path; do
  if [ -e "$path" ] && [ ! -d "$path" ]; then echo "left behind: $path" >&2; left=1; fi
done < "$WORK/files.txt"
[ ! -e /opt/skylift ] || { echo "left behind: /opt/skylift" >&2; left=1; }
[ ! -e /usr/share/applications/skylift.desktop ] || { echo "left behind: the menu entry" >&2; left=1; }
[ "$left" = 0 ] || fail "uninstall left files behind"
echo "Removed; nothing left behind."
