#!/usr/bin/env bash
# Peak resident memory of `skylift upload` for a 512 MiB and a 4 GiB file on the same sandbox: memory
# must not grow with the file's size (the two should be within about 10 %). Prints both.
source "$(dirname "$0")/sandbox.sh"
results=()
for size in 512M 4G; do
  truncate -s "$size" "$WORK/file-$size.bin"
  read -r seconds cpu rss <<< "$(measure "$JAVA" $JVM_OPTS -jar "$JAR" upload "$WORK/file-$size.bin" --to memory)"
  printf "upload %-4s  %6.1f s  peak RSS %6.0f MiB\n" "$size" "$seconds" "$((rss / 1024))"
  results+=("$rss")
  rm -f "$WORK/file-$size.bin"
done
awk -v a="${results[0]}" -v b="${results[1]}" 'BEGIN { printf "4 GiB vs 512 MiB: %+.1f %% peak RSS\n", (b - a) * 100 / a }'
