#!/usr/bin/env bash
# Tuning, side by side in one run: each pipeline in PIPELINES (default "adult-income california-housing")
# once as it is and once with a TRIALS-trial random search (default 20, 3-fold cross-validation) over eta,
# max_depth, min_child_weight, subsample and colsample_bytree, on the DirectRunner; then prints each run's
# test metric, the winner's cross-validated mean ± std and the wall times. RUN_ARGS go to every run
# (e.g. "--runner=FlinkRunner --parallelism=2").
#   benchmarks/tuning.sh        TRIALS=5 PIPELINES=adult-income benchmarks/tuning.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
PIPELINES="${PIPELINES:-adult-income california-housing}"
TRIALS="${TRIALS:-20}"
out="$root/benchmarks/target/tuning"
mkdir -p "$out"
warm_cli
space='space: {params: {eta: {logUniform: [0.01, 0.3]}, max_depth: {intRange: [3, 10]}, min_child_weight: {choice: [1, 2, 5, 10]},
  subsample: {uniform: [0.5, 1.0]}, colsample_bytree: {uniform: [0.5, 1.0]}}}'
printf "%-20s %-8s %10s %10s %24s %8s\n" pipeline run metric test "winner's cv mean ± std" "wall s"
for pipeline in $PIPELINES; do
  metric=auc; [ "$pipeline" = california-housing ] && metric=rmse
  for kind in untuned tuned; do
    args=(); [ "$kind" = tuned ] && args=(--set "tuning={strategy: random, trials: $TRIALS, metric: $metric, folds: 3, $space}")
    rm -rf "$out/$pipeline-$kind"
    /usr/bin/time -v bin/beamline run "pipelines/$pipeline/pipeline.yaml" --output "$out/$pipeline-$kind" "${args[@]}" ${RUN_ARGS:-} \
      > "$out/$pipeline-$kind.log" 2> "$out/$pipeline-$kind.time" || { cat "$out/$pipeline-$kind.log" "$out/$pipeline-$kind.time" >&2; exit 1; }
    python3 - "$out/$pipeline-$kind" "$metric" "$pipeline" "$kind" "$(wall_seconds "$out/$pipeline-$kind.time")" <<'PY'
import json, os, sys
run, metric, pipeline, kind, wall = sys.argv[1:]
test = json.load(open(os.path.join(run, "metrics.json")))["test"][metric]
cv = "-"
if os.path.exists(os.path.join(run, "tuning/trials.json")):
    t = json.load(open(os.path.join(run, "tuning/trials.json")))
    w = t["trials"][t["best"] - 1]
    cv = "%.5f ± %.5f (trial %d)" % (w["mean"][metric], w["std"][metric], t["best"])
print("%-20s %-8s %10s %10.5f %24s %8.1f" % (pipeline, kind, metric, test, cv, float(wall)))
PY
  done
done
