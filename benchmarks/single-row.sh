#!/usr/bin/env bash
# One-row predictions of adult's model (351 trees of depth 6, 112 features), four ways side by side in one
# JVM: Beamline's Java walk of complete trees (what `beamline serve` runs for small requests), the walk by the
# trees' links it replaced, Beamline's native path (xgboost4j in-place prediction) and what a Java user would
# write with xgboost4j (a one-row DMatrix, then Booster.predict). The rows are adult.test's first 2,000,
# transformed by the model's own Python module (beamline_pyfunc), so every way scores the same features.
#   benchmarks/single-row.sh        MODEL=DIR ROUNDS=25 benchmarks/single-row.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
work="$root/benchmarks/target/single-row"
mkdir -p "$work"
python="$(integration-tests/bin/mlflow-server python)"

model="${MODEL:-}"
if [ -z "$model" ]; then
  model="$root/benchmarks/target/serving/adult-run"
  [ -f "$model/run.json" ] || { warm_cli; bin/beamline run pipelines/adult-income/pipeline.yaml --output "$model" > "$work/train.log"; }
fi
[ -f "$model/model/MLmodel" ] && model="$model/model"

columns=$("$python" - "$model" "$root/../shared/datasets/adult/adult.test" "$work/features.f32" <<'PY'
import sys
import numpy as np, pandas as pd
model_dir, test, out = sys.argv[1:4]
sys.path.insert(0, model_dir + "/code")
import beamline_pyfunc
m = beamline_pyfunc.BeamlineModel(model_dir)
schema = [c["name"] for c in m.transform["schema"]]
rows = [l.rstrip("\n").split(",") for l in open(test, encoding="utf-8").readlines()[1:2001] if l.strip()]
x = m.features(pd.DataFrame(rows, columns=schema[:len(rows[0])]))
x = np.asarray(x.toarray() if hasattr(x, "toarray") else x, dtype="<f4")
x.tofile(out)
print(x.shape[1])
PY
)
mvn -B -q -Pbenchmarks -DskipTests -pl benchmarks -am install >&2
java -Xmx2g -cp "benchmarks/target/beamline-benchmarks.jar:benchmarks/target/lib/*" dev.beamline.plugins.xgboost.SingleRowBench \
  "$model/model.ubj" "$work/features.f32" "$columns" "${ROUNDS:-15}"
