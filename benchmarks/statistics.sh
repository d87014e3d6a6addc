#!/usr/bin/env bash
# What the data statistics cost: `beamline run benchmarks/adult-scaled.yaml` (adult.data repeated to ROWS rows,
# default ~1M) with the statistics stage off and on, taking turns REPEATS times (default 3), then the same
# run checked against the data schema the first one proposed (statistics and validation). Prints each run's
# wall time and peak memory, the medians, and the time statistics (and validation) add as a share of the run.
#   benchmarks/statistics.sh       ROWS=250000 REPEATS=1 benchmarks/statistics.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
ROWS="${ROWS:-1000000}"
REPEATS="${REPEATS:-3}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/statistics"
mkdir -p "$data" "$out"
csv="$data/adult-scaled.csv"
scaled_adult "$ROWS" "$csv"
echo "input: $csv ($(wc -l < "$csv") rows, $(du -h "$csv" | cut -f1))" >&2
warm_cli

# The data schema the validated runs check against, as a user would make it (outside the figures).
bin/beamline infer-schema benchmarks/adult-scaled.yaml --output "$out/schema.yaml" --force > /dev/null
results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure_run "$out" off --set statistics.enabled=false)")
  results+=("$(measure_run "$out" on)")
  results+=("$(measure_run "$out" validated --set "validation.schema=$out/schema.yaml")")
done
print_results off on validated
awk -v off="$(median_of off 2)" -v on="$(median_of on 2)" -v val="$(median_of validated 2)" \
  'BEGIN {printf "statistics add %.1f%% to the run; statistics and validation %.1f%%\n", (on - off) / off * 100, (val - off) / off * 100}'
