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

plain=(--set evaluator.bootstrap.samples=0 --set report.enabled=false)
results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure_run "$out" plain "${plain[@]}")")
  results+=("$(measure_run "$out" intervals --set report.enabled=false)")
  results+=("$(measure_run "$out" slices "${plain[@]}" --set 'evaluator.slices=[sex, race, {column: age, buckets: 4}]')")
  results+=("$(measure_run "$out" report --set evaluator.bootstrap.samples=0)")
done
print_results plain intervals slices report
for k in intervals slices report; do
  awk -v base="$(median_of plain 2)" -v x="$(median_of "$k" 2)" -v k="$k" 'BEGIN {printf "%s add %.1f%% to the run\n", k, (x - base) / base * 100}'
done
