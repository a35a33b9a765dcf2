#!/usr/bin/env bash
# A folder of many small files, as photographers upload them: skylift, rclone and the AWS CLI on one
# sandbox with the same folder. Prints seconds, CPU and each tool's time as a ratio of skylift's
# peers; then the same skylift upload run again (everything already stored). It does not fail on numbers.
#   bench/many-files.sh                      # 5,000 files of 64 KiB, 8 connections
#   FILES=2000 KIB=256 bench/many-files.sh
#   PROXY=http://127.0.0.1:8899 bench/many-files.sh   # through a proxy (python3 bench/link.py --port 8899), for
#                                                     # skylift and the AWS CLI; rclone never proxies loopback
source "$(dirname "$0")/sandbox.sh"
FILES="${FILES:-5000}"
KIB="${KIB:-64}"
CONCURRENCY="${CONCURRENCY:-8}"

FOLDER="$WORK/shoot"
make_folder "$FOLDER" "$FILES" "$KIB"

peers_env

PROXY_ENV=()
PROXY_JVM=()
if [ -n "${PROXY:-}" ]; then
  PROXY_ENV=(env HTTP_PROXY="$PROXY" HTTPS_PROXY="$PROXY" http_proxy="$PROXY" https_proxy="$PROXY" NO_PROXY= no_proxy=)
  PROXY_HOST="$(python3 -c "import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).hostname)" "$PROXY")"
  PROXY_PORT="$(python3 -c "import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).port or 80)" "$PROXY")"
  # Java never proxies loopback unless told: http.nonProxyHosts defaults to localhost|127.*|[::1], and
  # any other non-empty value gets those appended (sun.net.spi.DefaultProxySelector); an empty one clears them.
  PROXY_JVM=(-Dhttp.proxyHost="$PROXY_HOST" -Dhttp.proxyPort="$PROXY_PORT" -Dhttps.proxyHost="$PROXY_HOST"
    -Dhttps.proxyPort="$PROXY_PORT" -Dhttp.nonProxyHosts=)
fi

SANDBOX_CPU() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$SANDBOX_PID/stat"; }
declare -A SECONDS_OF CPU_OF SERVER_OF
run() { # name command...
  local name="$1"; shift
  local before after result
  before=$(SANDBOX_CPU)
  result="$(measure "$@" || true)"
  after=$(SANDBOX_CPU)
  if [ -z "$result" ]; then SECONDS_OF[$name]=""; return; fi
  read -r s c _ <<< "$result"
  SECONDS_OF[$name]=$s; CPU_OF[$name]=$c
  SERVER_OF[$name]=$(awk -v a="$before" -v b="$after" 'BEGIN { printf "%.1f", b - a }')
}

# The sandbox is a JVM too: warm it (and the page cache) with every tool once, so that the first
# tool measured does not pay for its start.
make_folder "$WORK/warm" 300 "$KIB"
measure "$JAVA" $JVM_OPTS -jar "$JAR" upload "$WORK/warm" --to bench/warm --concurrency "$CONCURRENCY" > /dev/null || true
[ -n "${PROXY:-}" ] || measure rclone copy "$WORK/warm" "sbx:$BUCKET/bench/warm-rclone" --transfers "$CONCURRENCY" > /dev/null || true
measure /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 cp "$WORK/warm" "s3://$BUCKET/bench/warm-aws" --recursive --only-show-errors > /dev/null || true

run skylift "$JAVA" $JVM_OPTS "${PROXY_JVM[@]}" -jar "$JAR" upload "$FOLDER" --to bench/skylift --concurrency "$CONCURRENCY"
run "skylift again" "$JAVA" $JVM_OPTS "${PROXY_JVM[@]}" -jar "$JAR" upload "$FOLDER" --to bench/skylift --concurrency "$CONCURRENCY"
if [ -z "${PROXY:-}" ]; then
  run rclone rclone copy "$FOLDER" "sbx:$BUCKET/bench/rclone/shoot" --transfers "$CONCURRENCY" --checkers "$CONCURRENCY"
fi
run "aws s3 cp" "${PROXY_ENV[@]}" /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 cp "$FOLDER" "s3://$BUCKET/bench/aws/shoot" --recursive --only-show-errors

STORED=$("$JAVA" -jar "$JAR" ls "u/sandbox-photographer/bench/skylift/shoot/" -r 2>/dev/null | wc -l || true)
[ "$STORED" = "$FILES" ] || echo "skylift stored $STORED files, not $FILES!" >&2

echo
echo "Folder: $FILES files of $KIB KiB; $CONCURRENCY connections; sandbox on 127.0.0.1 ($(nproc) cores)${PROXY:+; through $PROXY}."
echo
echo "| tool | seconds | files/s | client CPU s | sandbox CPU s | skylift ÷ tool (time) |"
echo "|---|---|---|---|---|---|"
for name in skylift "skylift again" rclone "aws s3 cp"; do
  [ -n "${SECONDS_OF[$name]+set}" ] || continue
  s="${SECONDS_OF[$name]}"
  if [ -z "$s" ]; then echo "| $name | failed | | | | |"; continue; fi
  awk -v n="$name" -v s="$s" -v c="${CPU_OF[$name]}" -v v="${SERVER_OF[$name]}" -v f="$FILES" -v k="${SECONDS_OF[skylift]}" \
    'BEGIN { r = (n ~ /^skylift/) ? "" : sprintf("%.2f", k / s); printf "| %s | %.1f | %.0f | %.1f | %s | %s |\n", n, s, f / s, c, v, r }'
done
echo
echo "\"skylift again\" is the same command run once more: every file is already stored and is checked, not sent."
