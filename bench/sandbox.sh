# Sourced by the benchmark scripts: picks JDK 25, builds skylift.jar if needed, starts a sandbox
# and exports SKYLIFT_API, SKYLIFT_TOKEN and the S3 endpoint and keys. Cleans up on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
# The JVM options of the installed `skylift` launcher: a small, fixed young generation keeps memory
# flat however much data passes through.
JVM_OPTS="$(cat "$ROOT/app/src/main/launcher/jvm-options")"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/app/target/skylift.jar"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -q install -DskipTests)
fi
WORK="$(mktemp -d /tmp/skylift-bench-XXXXXX)"
export SKYLIFT_DATA_DIR="$WORK/skylift-data"
"$JAVA" -jar "$JAR" sandbox --port 0 --json --data "$WORK/sandbox" > "$WORK/sandbox.json" 2> "$WORK/sandbox.log" &
SANDBOX_PID=$!
cleanup() { kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 1 300); do [ -s "$WORK/sandbox.json" ] && break; sleep 0.1; done
field() { python3 -c "import json,sys; print(json.load(open('$WORK/sandbox.json'))['$1'])"; }
export SKYLIFT_API="$(field api)" SKYLIFT_TOKEN="$(field photographerToken)"
S3_ENDPOINT="$(field s3Endpoint)"; S3_ACCESS_KEY="$(field s3AccessKey)"; S3_SECRET_KEY="$(field s3SecretKey)"; BUCKET="$(field bucket)"

# Runs a command and prints "seconds cpu_seconds peak_rss_kib" for it.
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" > "$WORK/cmd.out" 2> "$WORK/cmd.err" || {
    echo "failed: $*" >&2; cat "$WORK/cmd.err" >&2; return 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time.txt"
}

# Points rclone (remote "sbx:") and the AWS CLI at the sandbox's S3, with CONCURRENCY requests at
# once (the AWS CLI's own default, 10, when CONCURRENCY is empty); extra lines for the AWS CLI's
# "s3 =" section may follow as arguments.
peers_env() {
  command -v rclone > /dev/null || { echo "rclone missing: apt-get install -y rclone" >&2; exit 1; }
  [ -x /usr/bin/aws ] || { echo "AWS CLI missing: apt-get install -y awscli" >&2; exit 1; }
  export RCLONE_CONFIG_SBX_TYPE=s3 RCLONE_CONFIG_SBX_PROVIDER=Other RCLONE_CONFIG_SBX_ENDPOINT="$S3_ENDPOINT" \
    RCLONE_CONFIG_SBX_ACCESS_KEY_ID="$S3_ACCESS_KEY" RCLONE_CONFIG_SBX_SECRET_ACCESS_KEY="$S3_SECRET_KEY" \
    RCLONE_CONFIG_SBX_REGION=us-east-1 RCLONE_CONFIG_SBX_FORCE_PATH_STYLE=true
  export AWS_ACCESS_KEY_ID="$S3_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$S3_SECRET_KEY" AWS_DEFAULT_REGION=us-east-1 \
    AWS_CONFIG_FILE="$WORK/aws-config" AWS_SHARED_CREDENTIALS_FILE=/dev/null
  { echo "[default]"; echo "s3 ="; [ -z "${CONCURRENCY:-}" ] || echo "  max_concurrent_requests = $CONCURRENCY"; echo "  addressing_style = path"
    for line in "$@"; do echo "  $line"; done; } > "$AWS_CONFIG_FILE"
  # rclone's S3 client cannot load AWS_CA_BUNDLE (set on some machines) for a plain-HTTP endpoint.
  unset AWS_CA_BUNDLE
}

# A folder of FILES files of KIB KiB of random data, in four sub-folders, as a camera's cards give them.
make_folder() { # DIR FILES KIB
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys
folder, files, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(files):
    sub = os.path.join(folder, "day%d" % (i % 4))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "IMG_%05d.jpg" % i), "wb") as f:
        f.write(os.urandom(kib * 1024))
PY
}
