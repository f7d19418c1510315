#!/usr/bin/env bash
# Runs the 22 TPC-H queries at SF 1 the way a user does,
#   ./kiln sql --tpch 1 --format csv -f engine/src/main/resources/tpch/qNN.sql
# and compares each output with the official TPC-H answer (engine/src/test/resources/tpch/answers-sf1)
# by the rules of dev.kiln.engine.TpchAnswers, printing PASS or FAIL per query.
# Exit status 0 when all 22 pass. Environment: as for ./kiln (JAVA_HOME, KILN_XMX, KILN_JAVA_OPTS).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

out="$(mktemp -d "${TMPDIR:-/tmp}/kiln-tpch-answers.XXXXXX")"
trap 'rm -rf "$out"' EXIT

for n in $(seq -w 1 22); do
  start=$SECONDS
  if ./kiln sql --tpch 1 --format csv -f "engine/src/main/resources/tpch/q$n.sql" >"$out/q$n.csv" 2>"$out/q$n.err"; then
    echo "ran Q$n in $((SECONDS - start)) s"
  else
    echo "Q$n: ./kiln exited with $? after $((SECONDS - start)) s:"
    sed 's/^/    /' "$out/q$n.err"
    rm -f "$out/q$n.csv"   # the comparison reports it as FAIL
  fi
done

# the comparator runs on the JDK and class path the launcher used (it has just built engine/)
java_bin=""
for home in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [[ -n "$home" && -x "$home/bin/java" ]] || continue
  v="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)"
  if [[ "${v%%.*}" =~ ^[0-9]+$ && "${v%%.*}" -ge 25 ]]; then java_bin="$home/bin/java"; break; fi
done
[[ -n "$java_bin" ]] || { echo "tpch-answers: no JDK 25 found (set JAVA_HOME)" >&2; exit 2; }
exec "$java_bin" -cp "$ROOT/engine/target/classes:$(cat "$ROOT/engine/target/classpath.txt")" \
  dev.kiln.engine.TpchAnswers engine/src/test/resources/tpch/answers-sf1 "$out"
