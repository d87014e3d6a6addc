#!/usr/bin/env bash
# The same pipeline on three runners, side by side in one run: DirectRunner, embedded Flink (parallelism 2)
# and a real Flink cluster (integration-tests/bin/flink-cluster, parallelism 2), on adult.data repeated to
# each size in SIZES (default "250000 1000000"), REPEATS times each (default 1).
# Prints wall time and peak memory: of the beamline process (GNU time) and, for the cluster, of the
# TaskManager too (its VmHWM; a fresh cluster per run) with its CPU time and the bytes the job's operators wrote to
# each other (Flink's REST API), and each run's stage spans.
#   benchmarks/runners.sh        SIZES=1000000 REPEATS=3 benchmarks/runners.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
SIZES="${SIZES:-250000 1000000}"
REPEATS="${REPEATS:-1}"
ROUNDS="${ROUNDS:-100}"
export FLINK_TM_MEMORY="${FLINK_TM_MEMORY:-8192m}"   # the TaskManager gathers every training row to train
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/runners"
mkdir -p "$data" "$out"
warm_cli   # builds the CLI and the job jar if needed and records the class archive, outside the timings

results=()
for rows in $SIZES; do
  csv="$data/adult-$rows.csv"
  scaled_adult "$rows" "$csv"
  for i in $(seq 1 "$REPEATS"); do
    for runner in direct embedded cluster; do
      args=(); cluster=""
      case "$runner" in
        embedded) args=(--runner=FlinkRunner --parallelism=2) ;;
        cluster)
          cluster="$out/cluster"; rm -rf "$cluster"
          master="$(integration-tests/bin/flink-cluster start --dir "$cluster" 2> /dev/null)"
          args=(--runner=FlinkRunner "--flinkMaster=$master" --parallelism=2) ;;
      esac
      rm -rf "$out/run"
      /usr/bin/time -v bin/beamline run benchmarks/adult-scaled.yaml --output "$out/run" --set trainer.rounds="$ROUNDS" \
        --set sources.train.path="$csv" "${args[@]}" \
        > "$out/stdout.txt" 2> "$out/time.txt" || { cat "$out/stdout.txt" "$out/time.txt" >&2; exit 1; }
      wall=$(wall_seconds "$out/time.txt")
      rss=$(peak_mb "$out/time.txt")
      tm="-"; tmcpu="-"; shipped="-"
      if [ -n "$cluster" ]; then
        pid="$(cat "$cluster/taskmanager-1.pid")"
        tm=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
        tmcpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat")
        # What the job's operators wrote to each other (Flink's write-bytes, summed over the job's vertices).
        shipped=$(python3 -c 'import json, sys, urllib.request
get = lambda path: json.load(urllib.request.urlopen("http://" + sys.argv[1] + path))
vertices = get("/jobs/" + get("/jobs/overview")["jobs"][0]["jid"])["vertices"]
print("%.0f" % (sum(v["metrics"]["write-bytes"] for v in vertices) / 1e6))' "$master")
        integration-tests/bin/flink-cluster stop "$cluster"
      fi
      auc=$(awk '$1 == "auc" { print $4 }' "$out/stdout.txt")   # metric, train, validation, test, interval
      echo "$rows $runner run $i: wall ${wall}s, beamline process ${rss} MB, TaskManager ${tm} MB, ${tmcpu} CPU s, ${shipped} MB between operators, test auc $auc" >&2
      grep -E "^  [a-z]+ +finished" "$out/stdout.txt" | sed 's/^/    /' >&2
      results+=("$rows $runner $wall $rss $tm")
    done
  done
done

printf '%s\n' "${results[@]}" | awk "$MEDIAN_AWK"'
  { key = $1 " " $2; wall[key] = wall[key] " " $3; rss[key] = rss[key] " " $4; tm[key] = tm[key] " " $5; if (!(key in seen)) { order[n++] = key; seen[key] = 1 } }
  END {
    printf "\n%-9s %-9s %12s %16s %18s\n", "rows", "runner", "wall s", "process MB", "TaskManager MB"
    for (i = 0; i < n; i++) { split(order[i], p, " "); printf "%-9s %-9s %12s %16s %18s\n", p[1], p[2], median(wall[order[i]]), median(rss[order[i]]), median(tm[order[i]]) }
  }'
