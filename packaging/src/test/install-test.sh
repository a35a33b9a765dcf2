#!/usr/bin/env bash
# Installs the Linux package as a person would, uses the installed `skylift` and window, removes the
# package and checks nothing is left behind. Needs root, Xvfb, ImageMagick and xwininfo (x11-utils); .ci/run installs them.
# Run after `./mvnw -Pinstaller -DskipTests package`.
set -euo pipefail
HERE="$(cd "$(dirname "$0")/../.." && pwd)"
DEB="$(ls "$HERE"/target/installer/skylift_*_amd64.deb)"
WORK="$(mktemp -d /tmp/skylift-install-XXXXXX)"
SANDBOX_PID=""
cleanup() {
  [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "install test: $*" >&2; exit 1; }

echo "Installing $(basename "$DEB") ($(( $(stat -c %s "$DEB") / 1024 / 1024 )) MiB)"
dpkg -i "$DEB" > "$WORK/dpkg.log" 2>&1 || { apt-get install -f -y -qq > /dev/null && dpkg -i "$DEB" > "$WORK/dpkg.log"; }
dpkg -L skylift > "$WORK/files.txt"
echo "Installed size: $(du -sh /opt/skylift | cut -f1)"

SKYLIFT=/opt/skylift/bin/skylift
[ -x "$SKYLIFT" ] || fail "no command line at $SKYLIFT"
[ -x /opt/skylift/bin/Skylift ] || fail "no window launcher"
[ -f /usr/share/applications/skylift.desktop ] || fail "no menu entry"
"$SKYLIFT" --version | grep -q "^skylift " || fail "skylift --version did not answer"

export SKYLIFT_DATA_DIR="$WORK/data"
xvfb-run -a "$SKYLIFT" doctor | tee "$WORK/doctor.txt"
grep -q "AWS CRT native library *loaded" "$WORK/doctor.txt" || fail "the CRT native library did not load"
grep -q "JavaFX native libraries *loaded" "$WORK/doctor.txt" || fail "the JavaFX native libraries did not load"

# Upload with the installed command line to a sandbox started by the installed command line.
"$SKYLIFT" sandbox --port 0 --json > "$WORK/sandbox.json" 2> "$WORK/sandbox.log" &
SANDBOX_PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/sandbox.json" ] && break; sleep 0.1; done
field() { python3 -c "import json; print(json.load(open('$WORK/sandbox.json'))['$1'])"; }
export SKYLIFT_API="$(field api)" SKYLIFT_TOKEN="$(field photographerToken)"
head -c $((40 * 1024 * 1024)) /dev/urandom > "$WORK/photo.raw"
"$SKYLIFT" upload "$WORK/photo.raw" --to installed --json > "$WORK/upload.json"
grep -q '"state":"done"' "$WORK/upload.json" || fail "the upload did not finish: $(cat "$WORK/upload.json")"
"$SKYLIFT" ls u/sandbox-photographer/installed/ | grep -q "photo.raw" || fail "the uploaded file is not listed"
echo "Uploaded with the installed command line: $(cat "$WORK/upload.json")"

# The installed window, on its own sandbox, under Xvfb: it must draw.
unset SKYLIFT_API SKYLIFT_TOKEN
# Signed in means the settings remember the sandbox and the window's title names the account.
xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
  /opt/skylift/bin/Skylift gui --sandbox > '$WORK/window.log' 2>&1 &
  window=\$!
  signed_in=no
  for _ in \$(seq 1 60); do
    sleep 1
    grep -q '\"connection\":\"sandbox\"' '$SKYLIFT_DATA_DIR/settings.json' 2> /dev/null \\
      && xwininfo -root -tree | grep -q '\"Skylift - ' && { signed_in=yes; break; }
  done
  sleep 3
  import -window root '$WORK/installed-window.png'
  kill \$window; wait \$window || true
  [ \$signed_in = yes ]" || fail "the installed window did not open signed in to its sandbox within 60 s; log: $(cat "$WORK/window.log")"
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
