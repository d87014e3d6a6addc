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

measure() {  # name, extra run arguments...: prints "name wall_s max_rss_mb"
  local name=$1; shift
  local dir="$out/run-$name-$RANDOM$RANDOM"
  /usr/bin/time -v bin/beamline run benchmarks/adult-scaled.yaml --output "$dir" "$@" > "$out/stdout-$name.txt" 2> "$out/time-$name.txt" \
    || { cat "$out/stdout-$name.txt" "$out/time-$name.txt" >&2; exit 1; }
  [ -f "$out/schema.yaml" ] || cp "$dir/schema.yaml" "$out/schema.yaml" 2>/dev/null || true
  rm -rf "$dir"
  echo "$name $(wall_seconds "$out/time-$name.txt") $(peak_mb "$out/time-$name.txt")"
}

rm -f "$out/schema.yaml"
measure on > /dev/null   # proposes the schema the validated runs check against (outside the figures)
results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure off --set statistics.enabled=false)")
  results+=("$(measure on)")
  results+=("$(measure validated --set "validation.schema=$out/schema.yaml")")
done
printf "%-10s %8s %8s\n" run "wall s" "peak MB"
printf "%s\n" "${results[@]}" | awk '{printf "%-10s %8.1f %8d\n", $1, $2, $3}'
median() {  # name column: the median of that column over the runs of that name
  printf "%s\n" "${results[@]}" | awk -v n="$1" -v c="$2" '$1 == n {print $c}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}
for k in off on validated; do printf "median %-10s %8.1f s %8d MB\n" "$k" "$(median "$k" 2)" "$(median "$k" 3)"; done
awk -v off="$(median off 2)" -v on="$(median on 2)" -v val="$(median validated 2)" \
  'BEGIN {printf "statistics add %.1f%% to the run; statistics and validation %.1f%%\n", (on - off) / off * 100, (val - off) / off * 100}'
