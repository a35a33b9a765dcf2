#!/usr/bin/env bash
# The soak (SoakIT): FILES files of mixed sizes (default 500; one in 25 goes in parts) up and down
# through a proxy that breaks FAULTS of storage requests (default 0.2: resets, stalls, 500s and
# 503s), then FILES/40 files in parts through one that swallows 100 Continue. Checks every byte, that
# nothing is stored twice and that no unfinished upload is left, and prints its figures.
#   bench/soak.sh                    FILES=2000 FAULTS=0.3 bench/soak.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA_HOME="$("$ROOT/dev/find-jdk")" || exit 1
export JAVA_HOME
cd "$ROOT"
./mvnw --batch-mode --no-transfer-progress -q install -DskipTests -pl app -am > /dev/null
./mvnw --batch-mode --no-transfer-progress -pl app verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dskylift.soak=true -Dskylift.soak.files="${FILES:-500}" -Dskylift.soak.faults="${FAULTS:-0.2}" \
  > /tmp/skylift-soak.log || { tail -n 60 /tmp/skylift-soak.log; exit 1; }
grep "^soak:" app/target/failsafe-reports/io.skylift.soak.SoakIT-output.txt
