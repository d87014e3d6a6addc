#!/usr/bin/env bash
# What the evaluation's extras cost: `beamline run benchmarks/adult-scaled.yaml` (adult.data repeated to ROWS rows,
# default ~1M) plain (no intervals, no report), with the bootstrap intervals (100 samples, the default), with
# slices (sex, race, age in 4 buckets), and with the report, taking turns REPEATS times (default 2). Prints each
# run's wall time and peak memory, the medians, and what each adds as a share of the plain run.
#   benchmarks/evaluation.sh       ROWS=250000 REPEATS=1 benchmarks/evaluation.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
ROWS="${ROWS:-1000000}"
REPEATS="${REPEATS:-2}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/evaluation"
mkdir -p "$data" "$out"
csv="$data/adult-scaled.csv"
scaled_adult "$ROWS" "$csv"
echo "input: $csv ($(wc -l < "$csv") rows, $(du -h "$csv" | cut -f1))" >&2
warm_cli

measure() {  # name, extra run arguments...: prints "name wall_s max_rss_mb"
  local name=$1; shift
  local dir="$out/run-$name-$RANDOM$RANDOM"
  /usr/bin/time -v bin/beamline run benchmarks/adult-scaled.yaml --output "$dir" "$@" > "$out/stdout-$name.txt" 2> "$out/time-$name.txt" \
    || { cat "$out/stdout-$name.txt" "$out/time-$name.txt" >&2; exit 1; }
  rm -rf "$dir"
  echo "$name $(wall_seconds "$out/time-$name.txt") $(peak_mb "$out/time-$name.txt")"
}

plain=(--set evaluator.bootstrap.samples=0 --set report.enabled=false)
results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure plain "${plain[@]}")")
  results+=("$(measure intervals --set report.enabled=false)")
  results+=("$(measure slices "${plain[@]}" --set 'evaluator.slices=[sex, race, {column: age, buckets: 4}]')")
  results+=("$(measure report --set evaluator.bootstrap.samples=0)")
done
printf "%-10s %8s %8s\n" run "wall s" "peak MB"
printf "%s\n" "${results[@]}" | awk '{printf "%-10s %8.1f %8d\n", $1, $2, $3}'
median() {  # name column: the median of that column over the runs of that name
  printf "%s\n" "${results[@]}" | awk -v n="$1" -v c="$2" '$1 == n {print $c}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
for k in plain intervals slices report; do printf "median %-10s %8.1f s %8d MB\n" "$k" "$(median "$k" 2)" "$(median "$k" 3)"; done
for k in intervals slices report; do
  awk -v base="$(median plain 2)" -v x="$(median "$k" 2)" -v k="$k" 'BEGIN {printf "%s add %.1f%% to the run\n", k, (x - base) / base * 100}'
done
