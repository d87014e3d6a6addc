#!/usr/bin/env bash
# Beamline against what a user would write instead, side by side in one run: a pandas + xgboost script
# (benchmarks/pandas_adult.py, in the pinned Python environment of integration-tests/bin/mlflow-server)
# and a plain single-threaded Java program (PlainAdult), all doing the same work: adult.data repeated to
# ROWS rows (default ~1M), z-scores + vocabularies, XGBoost ROUNDS rounds (default 100), test AUC on
# adult.test. Beamline runs twice: with the settings that make its work the script's (no statistics, report,
# bootstrap intervals, training-split metrics or per-round history), and as the pipeline stands (all of those).
# The programs take turns, REPEATS times (default 3); prints each run's wall time, peak memory (max RSS, from GNU
# time) and test AUC, the medians, and the ratios to pandas.
#   benchmarks/adult-1m.sh       ROWS=4000000 benchmarks/adult-1m.sh       RUNNER_ARGS=--runner=... benchmarks/adult-1m.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
ROWS="${ROWS:-1000000}"
ROUNDS="${ROUNDS:-100}"
REPEATS="${REPEATS:-3}"
JAVA_OPTS="${JAVA_OPTS:--Xmx8g -XX:+UseParallelGC}"   # the same JVM options for both programs
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/runs"
mkdir -p "$data" "$out"

csv="$data/adult-scaled.csv"
scaled_adult "$ROWS" "$csv"
echo "input: $csv ($(wc -l < "$csv") rows, $(du -h "$csv" | cut -f1))" >&2

mvn -B -q -Pbenchmarks -DskipTests -pl benchmarks -am install >&2
warm_cli   # builds the CLI if needed and records its class archive, outside the timings
python="$(integration-tests/bin/mlflow-server python)"   # pinned pandas and xgboost

measure() {  # name, command...: prints "name wall_s max_rss_mb test_auc"
  local name=$1; shift
  local t="$out/time-$name.txt" o="$out/stdout-$name.txt"
  /usr/bin/time -v "$@" > "$o" 2> "$t" || { cat "$t" >&2; exit 1; }
  local auc
  case $name in
    pandas) auc=$(sed -n 's/.*"test_auc": \([0-9.]*\).*/\1/p' "$o") ;;
    plain) auc=$(sed -n 's/.*test-auc:\([0-9.]*\).*/\1/p' "$o") ;;
    beamline*) auc=$(awk '$1 == "auc" { print $4 }' "$o") ;;   # metric, train, validation, test, interval
  esac
  echo "$name $(wall_seconds "$t") $(peak_mb "$t") ${auc:-nan}"
}

results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure pandas "$python" benchmarks/pandas_adult.py "$csv" "$root/../shared/datasets/adult/adult.test" "$ROUNDS")")
  cat "$out/stdout-pandas.txt" >&2
  results+=("$(measure plain java $JAVA_OPTS -cp "benchmarks/target/beamline-benchmarks.jar:benchmarks/target/lib/*" \
    dev.beamline.benchmarks.PlainAdult "$csv" "$root/../shared/datasets/adult/adult.test" "$ROUNDS")")
  grep -h "plain:" "$out/stdout-plain.txt" >&2
  # The script's work and no more: no statistics, report, intervals, training-split metrics or per-round history.
  rm -rf "$out/beamline-run"
  results+=("$(measure beamline env BEAMLINE_JAVA_OPTS="$JAVA_OPTS" bin/beamline run benchmarks/adult-scaled.yaml \
    --output "$out/beamline-run" --set trainer.rounds="$ROUNDS" --set statistics.enabled=false --set report.enabled=false \
    --set evaluator.bootstrap.samples=0 --set "evaluator.splits=[test]" --set trainer.history=false ${RUNNER_ARGS:-})")
  grep -E "^(auc|  [a-z]+ +finished)" "$out/stdout-beamline.txt" >&2
  # A run as the pipeline stands: with the statistics, the report, 100 bootstrap intervals, the training split's metrics
  # and the per-round training logloss.
  rm -rf "$out/beamline-run"
  results+=("$(measure beamline-defaults env BEAMLINE_JAVA_OPTS="$JAVA_OPTS" bin/beamline run benchmarks/adult-scaled.yaml \
    --output "$out/beamline-run" --set trainer.rounds="$ROUNDS" ${RUNNER_ARGS:-})")
  grep -E "^(auc|  [a-z]+ +finished)" "$out/stdout-beamline-defaults.txt" >&2
  # The train stage's parts, from the trainer's own clock: building XGBoost's matrix, the per-round history, the rest.
  sed -n 's/.*"\(trainMillis\|matrixMillis\|evalMillis\)" : \([0-9]*\).*/\1 \2/p' "$out/beamline-run/model/trainer.json" \
    | awk '{ms[$1] = $2} END {printf "  train: matrix %.1fs, rounds %.1fs, per-round history %.1fs\n", ms["matrixMillis"] / 1000,
        (ms["trainMillis"] - ms["matrixMillis"] - ms["evalMillis"]) / 1000, ms["evalMillis"] / 1000}' >&2
done

printf '%s\n' "${results[@]}" | awk -v rows="$ROWS" -v rounds="$ROUNDS" '
  { wall[$1] = wall[$1] " " $2; rss[$1] = rss[$1] " " $3; auc[$1] = $4; n[$1]++ }
  function median(list,   a, k, i, j, t) { k = split(list, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    printf "\n%d rows, %d rounds, %d run(s) each, interleaved\n%-17s %30s %30s %9s %13s\n", rows, rounds, n["pandas"], "program",
      "wall s (runs; median)", "peak MB (runs; median)", "test auc", "wall / pandas"
    split("pandas plain beamline beamline-defaults", order, " ")
    for (k = 1; k <= 4; k++) { p = order[k]
      printf "%-17s %22s; %6.1f %22s; %6.0f %9s %12.2fx\n", p, wall[p], median(wall[p]), rss[p], median(rss[p]), auc[p], median(wall[p]) / median(wall["pandas"]) }
  }'
