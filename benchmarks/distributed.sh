#!/usr/bin/env bash
# One worker against two on a real Flink cluster of two TaskManagers (integration-tests/bin/flink-cluster
# --taskmanagers 2 --slots 1, parallelism 2), side by side in one run: adult.data repeated to each size in
# SIZES (default 1000000), 100 rounds, REPEATS times each (default 1), taking turns.
# Prints wall time, the trainer's own time (model/trainer.json: matrix and rounds), test auc, and the peak
# resident memory (VmHWM) of each TaskManager (a fresh cluster per run), then the medians.
# A run that fails is reported as failed: FLINK_TM_MEMORY=3072m shows where one worker no longer fits and two do
# (WORKERS="1" or "2" runs one of them). FLINK_TM_NETWORK (default 512m) sets each TaskManager's network buffers,
# which are resident from its start: 128m is enough for this job on one slot per TaskManager.
#   benchmarks/distributed.sh        SIZES="1000000 4000000" REPEATS=3 benchmarks/distributed.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
SIZES="${SIZES:-1000000}"
REPEATS="${REPEATS:-1}"
ROUNDS="${ROUNDS:-100}"
WORKERS="${WORKERS:-1 2}"   # the worker counts to compare
export FLINK_TM_MEMORY="${FLINK_TM_MEMORY:-8192m}"   # with one worker, one TaskManager holds every training row
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/distributed"
mkdir -p "$data" "$out"
warm_cli   # builds the CLI and the job jar if needed and records the class archive, outside the timings

results=()
for rows in $SIZES; do
  csv="$data/adult-$rows.csv"
  scaled_adult "$rows" "$csv"
  for i in $(seq 1 "$REPEATS"); do
    for workers in $WORKERS; do
      cluster="$out/cluster"; rm -rf "$cluster" "$out/run"
      master="$(integration-tests/bin/flink-cluster start --dir "$cluster" --taskmanagers 2 --slots 1 2> /dev/null)"
      /usr/bin/time -v bin/beamline run benchmarks/adult-scaled.yaml --output "$out/run" --set trainer.rounds="$ROUNDS" \
        --set sources.train.path="$csv" --set trainer.workers="$workers" \
        --runner=FlinkRunner "--flinkMaster=$master" --parallelism=2 \
        > "$out/stdout.txt" 2> "$out/time.txt" || {
        # A run that fails (e.g. a TaskManager out of memory at a small FLINK_TM_MEMORY) is reported, not fatal.
        echo "$rows workers $workers run $i: FAILED: $(grep -m1 '^error:' "$out/stdout.txt" "$out/time.txt" | cut -c1-400)" >&2
        integration-tests/bin/flink-cluster stop "$cluster"
        results+=("$rows $workers failed - - -")
        continue
      }
      wall=$(wall_seconds "$out/time.txt")
      tms=()
      for n in 1 2; do
        tms+=("$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$(cat "$cluster/taskmanager-$n.pid")/status")")
      done
      integration-tests/bin/flink-cluster stop "$cluster"
      train=$(python3 -c 'import json, sys; i = json.load(open(sys.argv[1]))["info"]; print("%.1f %.1f" % (i["trainMillis"] / 1000, i["matrixMillis"] / 1000))' \
        "$out/run/model/trainer.json")
      auc=$(awk '$1 == "auc" { print $4 }' "$out/stdout.txt")   # metric, train, validation, test, interval
      peak=$(( tms[0] > tms[1] ? tms[0] : tms[1] ))
      echo "$rows workers $workers run $i: wall ${wall}s, training ${train% *}s (matrix ${train#* }s), TaskManagers ${tms[0]} and ${tms[1]} MB, test auc $auc" >&2
      grep -E "^  [a-z]+ +finished" "$out/stdout.txt" | sed 's/^/    /' >&2
      results+=("$rows $workers $wall ${train% *} $peak $auc")
    done
  done
done

printf '%s\n' "${results[@]}" | awk "$MEDIAN_AWK"'
  { key = $1 " " $2; wall[key] = wall[key] " " $3; train[key] = train[key] " " $4; tm[key] = tm[key] " " $5; auc[key] = $6; if (!(key in seen)) { order[n++] = key; seen[key] = 1 } }
  END {
    printf "\n%-9s %-8s %8s %12s %22s %10s\n", "rows", "workers", "wall s", "training s", "peak TaskManager MB", "test auc"
    for (i = 0; i < n; i++) { split(order[i], p, " "); printf "%-9s %-8s %8s %12s %22s %10s\n", p[1], p[2], median(wall[order[i]]), median(train[order[i]]), median(tm[order[i]]), auc[order[i]] }
  }'
