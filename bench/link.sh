#!/usr/bin/env bash
# skylift and the AWS CLI over an emulated long fat link (bench/link.py: a forward proxy with a round
# trip, a window per connection and a total rate), on one sandbox with the same data: one large file up
# and down, and a folder of small files up. Prints a Markdown table; it does not fail on numbers.
#   bench/link.sh                                   # 60 ms, 400 Mbit/s, 2 MiB window; 512 MiB; 500 × 256 KiB
#   RTT_MS=100 RATE_MBIT=1000 SIZE_MIB=2048 bench/link.sh     # also WINDOW_KIB, QUEUE_MS (the link's buffer)
#   CONCURRENCY=8 bench/link.sh                     # a fixed number for both tools; unset, each its default:
#                                                   # skylift finds its own (at most 32), the AWS CLI uses 10
# rclone is left out: its Go client never sends loopback addresses through a proxy.
source "$(dirname "$0")/sandbox.sh"
RTT_MS="${RTT_MS:-60}"
RATE_MBIT="${RATE_MBIT:-400}"
WINDOW_KIB="${WINDOW_KIB:-2048}"
QUEUE_MS="${QUEUE_MS:-20}"
SIZE_MIB="${SIZE_MIB:-512}"
FILES="${FILES:-500}"
KIB="${KIB:-256}"
CONCURRENCY="${CONCURRENCY:-}"
SKYLIFT_CONCURRENCY=()
[ -z "$CONCURRENCY" ] || SKYLIFT_CONCURRENCY=(--concurrency "$CONCURRENCY")
peers_env "multipart_chunksize = 16MB" "multipart_threshold = 16MB"

python3 "$ROOT/bench/link.py" --port 0 --rtt-ms "$RTT_MS" --rate-mbit "$RATE_MBIT" --window-kib "$WINDOW_KIB" \
  --queue-ms "$QUEUE_MS" > "$WORK/link.port" 2> "$WORK/link.log" &
LINK_PID=$!
trap 'kill "$LINK_PID" 2>/dev/null || true; wait "$LINK_PID" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 100); do [ -s "$WORK/link.port" ] && break; sleep 0.1; done
LINK_PORT="$(cat "$WORK/link.port")"
PROXY="http://127.0.0.1:$LINK_PORT"

# Java never proxies loopback unless told: http.nonProxyHosts defaults to localhost|127.*|[::1], and any
# other non-empty value gets those appended (sun.net.spi.DefaultProxySelector); only an empty one clears them.
SKYLIFT=("$JAVA" $JVM_OPTS -Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort="$LINK_PORT" -Dhttps.proxyHost=127.0.0.1
  -Dhttps.proxyPort="$LINK_PORT" -Dhttp.nonProxyHosts= -jar "$JAR")
AWS=(env HTTP_PROXY="$PROXY" HTTPS_PROXY="$PROXY" http_proxy="$PROXY" https_proxy="$PROXY" NO_PROXY= no_proxy=
  /usr/bin/aws --endpoint-url "$S3_ENDPOINT")

FILE="$WORK/bench.bin"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$FILE"
FOLDER="$WORK/shoot"
make_folder "$FOLDER" "$FILES" "$KIB"
mkdir -p "$WORK/out"
FILE_BYTES=$((SIZE_MIB * 1024 * 1024))
FOLDER_BYTES=$((FILES * KIB * 1024))
LINK_MBS=$(awk -v r="$RATE_MBIT" 'BEGIN { print r / 8 }')

authority() { python3 -c "import sys, urllib.parse; u = urllib.parse.urlsplit(sys.argv[1]); print('%s:%d' % (u.hostname, u.port or 80))" "$1"; }
API_AT="$(authority "$SKYLIFT_API")"
S3_AT="$(authority "$S3_ENDPOINT")"
LINK_CPU() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$LINK_PID/stat"; }
# What the link carried between two of its /stats answers: requests (and new connections) to the API and
# to S3, and megabytes both ways.
carried() {
  python3 - "$1" "$2" "$API_AT" "$S3_AT" <<'PY'
import json, sys
before, after = (json.load(open(p))["targets"] for p in sys.argv[1:3])
def delta(target, field):
    a, b = after.get(target, {}), before.get(target, {})
    if field == "requests":
        return sum(a.get("requests", {}).values()) - sum(b.get("requests", {}).values())
    return a.get(field, 0) - b.get(field, 0)
api, s3 = sys.argv[3], sys.argv[4]
mb = sum(delta(t, "bytesUp") + delta(t, "bytesDown") for t in after) / 1e6
print("API %d (%d conn), S3 %d (%d conn), %.0f MB" % (delta(api, "requests"), delta(api, "connections"),
      delta(s3, "requests"), delta(s3, "connections"), mb))
PY
}

ROWS=()
declare -A SECONDS_OF
run() { # work tool bytes command...
  local work="$1" tool="$2" bytes="$3"; shift 3
  local cpu_before cpu_after result seconds rss via
  curl -s "$PROXY/stats" > "$WORK/before.json"
  cpu_before=$(LINK_CPU)
  result="$(measure "$@" || true)"
  cpu_after=$(LINK_CPU)
  curl -s "$PROXY/stats" > "$WORK/after.json"
  via="$(carried "$WORK/before.json" "$WORK/after.json")"
  if [ -z "$result" ]; then ROWS+=("| $work | $tool | failed | | | | | | $via | |"); return; fi
  read -r seconds _ rss <<< "$result"
  SECONDS_OF["$work/$tool"]=$seconds
  # skylift's --json lines say how many connections carried each transfer's bytes at most.
  local conns="${CONCURRENCY:-10}"
  if [ "$tool" = skylift ]; then
    conns=$(python3 -c 'import json, sys; print(max((json.loads(l).get("connections", 0) for l in open(sys.argv[1]) if l.strip()), default=0))' "$WORK/cmd.out")
  elif [ "$tool" = curl ]; then
    conns=1
  fi
  local ratio=""
  if [ "$tool" = "aws s3 cp" ] && [ -n "${SECONDS_OF["$work/skylift"]:-}" ]; then
    ratio=$(awk -v k="${SECONDS_OF["$work/skylift"]}" -v s="$seconds" 'BEGIN { printf "%.2f", k / s }')
  fi
  ROWS+=("$(awk -v w="$work" -v t="$tool" -v s="$seconds" -v b="$bytes" -v l="$LINK_MBS" -v r="$ratio" -v v="$via" -v n="$conns" \
    -v m="$rss" -v c="$(awk -v a="$cpu_before" -v b="$cpu_after" 'BEGIN { printf "%.1f", b - a }')" \
    'BEGIN { printf "| %s | %s | %.1f | %.1f | %.0f %% | %s | %.0f | %s | %s | %s |", w, t, s, b / s / 1e6, 100 * b / s / 1e6 / l, n, m / 1024, r, v, c }')")
}

BIG="$SIZE_MIB MiB up"
run "$BIG" skylift "$FILE_BYTES" "${SKYLIFT[@]}" upload "$FILE" --to bench/skylift "${SKYLIFT_CONCURRENCY[@]}" --json
run "$BIG" "aws s3 cp" "$FILE_BYTES" "${AWS[@]}" s3 cp "$FILE" "s3://$BUCKET/bench/aws/bench.bin" --only-show-errors
BIG="$SIZE_MIB MiB down"
run "$BIG" skylift "$FILE_BYTES" "${SKYLIFT[@]}" download "u/sandbox-photographer/bench/skylift/bench.bin" --out "$WORK/out" "${SKYLIFT_CONCURRENCY[@]}" --json
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "skylift download differs!" >&2
rm -f "$WORK/out/bench.bin"
run "$BIG" "aws s3 cp" "$FILE_BYTES" "${AWS[@]}" s3 cp "s3://$BUCKET/bench/aws/bench.bin" "$WORK/out/bench.bin" --only-show-errors
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "aws download differs!" >&2
rm -f "$WORK/out/bench.bin"
SMALL="$FILES × $KIB KiB up"
run "$SMALL" skylift "$FOLDER_BYTES" "${SKYLIFT[@]}" upload "$FOLDER" --to bench/skylift "${SKYLIFT_CONCURRENCY[@]}" --json
run "$SMALL" "aws s3 cp" "$FOLDER_BYTES" "${AWS[@]}" s3 cp "$FOLDER" "s3://$BUCKET/bench/aws/shoot" --recursive --only-show-errors
STORED=$("$JAVA" -jar "$JAR" ls "u/sandbox-photographer/bench/skylift/shoot/" -r 2>/dev/null | wc -l || true)
[ "$STORED" = "$FILES" ] || echo "skylift stored $STORED files, not $FILES!" >&2

# One connection can move at most window ÷ round trip: curl fetches the AWS CLI's copy once, through the link.
ONE_MIB=$(( SIZE_MIB < 64 ? SIZE_MIB : 64 ))
URL="$(/usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 presign "s3://$BUCKET/bench/aws/bench.bin" --expires-in 300)"
run "$ONE_MIB MiB down, 1 connection" curl "$((ONE_MIB * 1024 * 1024))" \
  curl -sf -x "$PROXY" -r "0-$((ONE_MIB * 1024 * 1024 - 1))" -o /dev/null "$URL"
CAP=$(awk -v w="$WINDOW_KIB" -v r="$RTT_MS" -v l="$LINK_MBS" 'BEGIN { c = w * 1024 / (r / 1000) / 1e6; printf "%.1f MB/s (%.0f %% of the link)", c, 100 * c / l }')

echo
echo "Link: $RTT_MS ms round trip, $RATE_MBIT Mbit/s ($LINK_MBS MB/s) each way, $WINDOW_KIB KiB in flight per connection"
if [ -n "$CONCURRENCY" ]; then CONNS="$CONCURRENCY connections for both tools"; else CONNS="each tool with its default connections"; fi
echo "and direction (one connection: at most $CAP), a $QUEUE_MS ms queue; $CONNS; sandbox on 127.0.0.1"
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)."
echo
echo "| work | tool | seconds | MB/s | % of link | connections | peak RSS MiB | skylift ÷ AWS CLI (time) | through the link | link CPU s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "\"connections\": for skylift the most that carried the transfer's bytes at once (from --json), for the AWS CLI"
echo "its max_concurrent_requests."
echo "\"through the link\": requests the emulator relayed to the backend API and to S3 during the run, the connections"
echo "it opened to each (every new one costs a round trip), and the bytes it carried both ways; \"link CPU s\": the"
echo "emulator's own CPU for the run."
