#!/usr/bin/env bash
# Throughput, CPU and memory of skylift against rclone and the AWS CLI (Debian packages), on one
# sandbox with one file, upload and download. Prints a Markdown table; it does not fail on numbers.
#   bench/compare.sh            # 2 GiB of random data, 8 connections, 16 MiB parts
#   SIZE_MIB=512 bench/compare.sh
source "$(dirname "$0")/sandbox.sh"
SIZE_MIB="${SIZE_MIB:-2048}"
CONCURRENCY="${CONCURRENCY:-8}"
peers_env "multipart_chunksize = 16MB" "multipart_threshold = 16MB"

FILE="$WORK/bench.bin"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$FILE"
BYTES=$(stat -c %s "$FILE")
mkdir -p "$WORK/out"

row() { # tool direction "seconds cpu rss"
  [ -n "$3" ] || { echo "| $1 | $2 | failed | | | |"; return; }
  read -r seconds cpu rss <<< "$3"
  awk -v t="$1" -v d="$2" -v s="$seconds" -v c="$cpu" -v r="$rss" -v b="$BYTES" \
    'BEGIN { printf "| %-16s | %-8s | %8.1f | %8.1f | %8.1f | %10.0f |\n", t, d, s, b / s / 1e6, c, r / 1024 }'
}

echo
echo "File: $SIZE_MIB MiB of random data; $CONCURRENCY connections; 16 MiB parts; sandbox on 127.0.0.1 ($(nproc) cores)."
echo
echo "| tool             | transfer | seconds  |   MB/s   | CPU s    | peak RSS MiB |"
echo "|------------------|----------|----------|----------|----------|------------|"
row "skylift" upload "$(measure "$JAVA" $JVM_OPTS -jar "$JAR" upload "$FILE" --to bench/skylift --concurrency "$CONCURRENCY" || true)"
row "skylift" download "$(measure "$JAVA" $JVM_OPTS -jar "$JAR" download "u/sandbox-photographer/bench/skylift/bench.bin" --out "$WORK/out" --concurrency "$CONCURRENCY" || true)"
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "skylift download differs!" >&2
rm -f "$WORK/out/bench.bin"

# Direct mode: the AWS transfer manager on the CRT, with the credentials exported above (the SDK's default chain).
DIRECT=(--bucket "$BUCKET" --endpoint "$S3_ENDPOINT" --region us-east-1 --concurrency "$CONCURRENCY" --part-size 16MiB)
row "skylift --direct" upload "$(measure "$JAVA" $JVM_OPTS -jar "$JAR" upload "$FILE" --to bench/direct "${DIRECT[@]}" || true)"
row "skylift --direct" download "$(measure "$JAVA" $JVM_OPTS -jar "$JAR" download bench/direct/bench.bin --out "$WORK/out" "${DIRECT[@]}" || true)"
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "skylift --direct download differs!" >&2
rm -f "$WORK/out/bench.bin"
row "rclone" upload "$(measure rclone copyto "$FILE" "sbx:$BUCKET/bench/rclone/bench.bin" --s3-upload-concurrency "$CONCURRENCY" --s3-chunk-size 16M --s3-upload-cutoff 16M || true)"
row "rclone" download "$(measure rclone copyto "sbx:$BUCKET/bench/rclone/bench.bin" "$WORK/out/bench.bin" --multi-thread-streams "$CONCURRENCY" --multi-thread-cutoff 16M || true)"
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "rclone download differs!" >&2
rm -f "$WORK/out/bench.bin"
row "aws s3 cp" upload "$(measure /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 cp "$FILE" "s3://$BUCKET/bench/aws/bench.bin" --only-show-errors || true)"
row "aws s3 cp" download "$(measure /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 cp "s3://$BUCKET/bench/aws/bench.bin" "$WORK/out/bench.bin" --only-show-errors || true)"
cmp -s "$FILE" "$WORK/out/bench.bin" || echo "aws download differs!" >&2
echo
echo "skylift also checksums every part (CRC32C, checked by storage), the whole file after completing, and every download."
