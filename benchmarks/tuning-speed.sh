#!/usr/bin/env bash
# The speed of a search, side by side in one run: the same TRIALS-trial random search (default 20) over eta,
# max_depth, min_child_weight, subsample and colsample_bytree with FOLDS-fold cross-validation (default 3) and
# a fixed ROUNDS rounds (default 200, no early stopping, so that every tool trains the same trees) on adult,
#   1. beamline run on the DirectRunner: its default for a search (as many tasks at once as cores, XGBoost on one
#      core each); then one task at a time with XGBoost on every core (--set trainer.nthread=0: the trials one
#      after another in one JVM),
#   2. beamline run on a local Flink cluster (integration-tests/bin/flink-cluster, parallelism 2: two tasks at
#      once, XGBoost on one core each, the default),
#   3. Spark ML's CrossValidator over xgboost's SparkXGBClassifier (local[2], the same 20 parameter maps,
#      the features fitted inside each fold; SPARK_PYTHON: a python with pyspark and xgboost, default the venv
#      ~/.cache/beamline/spark-venv, which this script makes with pip when missing).
# Prints wall time and the winner's cross-validated auc of each.
#   benchmarks/tuning-speed.sh        TRIALS=5 benchmarks/tuning-speed.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
TRIALS="${TRIALS:-20}"
FOLDS="${FOLDS:-3}"
ROUNDS="${ROUNDS:-200}"
out="$root/benchmarks/target/tuning-speed"
mkdir -p "$out"
spark_python="${SPARK_PYTHON:-${BEAMLINE_CACHE:-$HOME/.cache/beamline}/spark-venv/bin/python}"
if [ ! -x "$spark_python" ]; then
  python3 -m venv "$(dirname "$(dirname "$spark_python")")"
  "$(dirname "$spark_python")/pip" install -q pyspark==4.3.0 xgboost==3.2.0 pandas pyarrow scikit-learn
fi
warm_cli
search="tuning={strategy: random, trials: $TRIALS, metric: auc, folds: $FOLDS, space: {params: {eta: {logUniform: [0.01, 0.3]},
  max_depth: {intRange: [3, 10]}, min_child_weight: {choice: [1, 2, 5, 10]}, subsample: {uniform: [0.5, 1.0]},
  colsample_bytree: {uniform: [0.5, 1.0]}}}}"
common=(--set "$search" --set trainer.rounds="$ROUNDS" --set trainer.earlyStoppingRounds=0 --set evaluator.bootstrap.samples=0
  --set report.enabled=false)
beamline() {  # NAME LABEL ARGS...
  local name=$1 label=$2; shift 2
  rm -rf "$out/$name"
  /usr/bin/time -v bin/beamline run pipelines/adult-income/pipeline.yaml --output "$out/$name" "${common[@]}" "$@" \
    > "$out/$name.log" 2> "$out/$name.time" || { cat "$out/$name.log" "$out/$name.time" >&2; exit 1; }
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); b=t["trials"][t["best"]-1]; print("%-34s %8.1f  trial %2d  cv auc %.5f ± %.5f" % (sys.argv[2], float(sys.argv[3]), t["best"], b["mean"]["auc"], b["std"]["auc"]))' \
    "$out/$name/tuning/trials.json" "$label" "$(wall_seconds "$out/$name.time")"
}
printf "%-34s %8s  %s\n" program "wall s" "winner"
beamline direct "beamline (DirectRunner)"
beamline direct-1 "beamline (DirectRunner, one at a time)" --set trainer.nthread=0
cluster="$out/cluster"; rm -rf "$cluster"
master="$(FLINK_TM_MEMORY=6144m integration-tests/bin/flink-cluster start --dir "$cluster" 2> /dev/null | tail -1)"
trap 'integration-tests/bin/flink-cluster stop "$cluster" > /dev/null 2>&1 || true' EXIT
beamline cluster-run "beamline (Flink cluster, p=2)" --runner=FlinkRunner "--flinkMaster=$master" --parallelism=2
integration-tests/bin/flink-cluster stop "$cluster" > /dev/null 2>&1; trap - EXIT
/usr/bin/time -v "$spark_python" benchmarks/tuning_spark.py "$root/../shared/datasets/adult/adult.data" \
  "$out/direct/tuning/trials.json" "$ROUNDS" "$FOLDS" > "$out/spark.json" 2> "$out/spark.time" \
  || { cat "$out/spark.json" "$out/spark.time" >&2; exit 1; }
python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print("%-34s %8.1f  trial %2d  cv auc %.5f" % ("spark CrossValidator + SparkXGB", float(sys.argv[2]), d["best"], d["best_auc"]))' \
  "$out/spark.json" "$(wall_seconds "$out/spark.time")"
