#!/usr/bin/env bash
# The models beyond boosted trees against scikit-learn, side by side in one run: each example pipeline
# (adult-logistic, adult-forest, adult-tree, california-linear, breast-cancer-kmeans) with `beamline run`, then the
# scikit-learn program a user would write for the same features, rows and settings (benchmarks/sklearn_models.py, in
# the pinned Python environment of integration-tests/bin/mlflow-server). Prints each pair's metric (test auc or rmse;
# for k-means the training split's inertia, silhouette and adjusted Rand index, which scikit-learn reports on the rows
# it fitted) and whole-program wall time.
#   benchmarks/models.sh          REPEATS=3 benchmarks/models.sh   (medians of the wall times)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
REPEATS="${REPEATS:-1}"
out="$root/benchmarks/target/models"
mkdir -p "$out"
warm_cli
python="$(integration-tests/bin/mlflow-server python)"
datasets="$root/../shared/datasets"

rows=()
for model in adult-logistic adult-forest adult-tree california-linear breast-cancer-kmeans; do
  for i in $(seq 1 "$REPEATS"); do
    rm -rf "$out/$model"
    /usr/bin/time -f "%e" -o "$out/time-beamline.txt" bin/beamline run "pipelines/$model/pipeline.yaml" --output "$out/$model" \
      --set report.enabled=false > "$out/$model.log"
    if [ "$model" = breast-cancer-kmeans ]; then
      metric=$(awk '$1 == "inertia" || $1 == "silhouette" || $1 == "ari" { printf "%s_%.6g_", $1, $2 }' "$out/$model.log")
    else
      metric=$(awk '$1 == "auc" || $1 == "rmse" { print $1 "_" $4 }' "$out/$model.log")
    fi
    rows+=("$model beamline $(cat "$out/time-beamline.txt") $metric")
    /usr/bin/time -f "%e" -o "$out/time-sklearn.txt" "$python" benchmarks/sklearn_models.py "$model" "$datasets" "$out/$model" \
      > "$out/$model.sklearn.json"
    metric=$("$python" -c 'import json, sys
r = json.load(open(sys.argv[1]))
if "train" in r:
    print("".join("%s_%.6g_" % (k, r["train"][k]) for k in ("ari", "inertia", "silhouette")) + "agreement_%.4f" % r["agreement_ari"])
else:
    print(next("%s_%s" % (k[5:], v) for k, v in r.items() if k.startswith("test_") and k != "test_rows"))' "$out/$model.sklearn.json")
    rows+=("$model scikit-learn $(cat "$out/time-sklearn.txt") $metric")
    printf '%s\n' "${rows[@]: -2}" >&2
  done
done

printf '%s\n' "${rows[@]}" | awk '
  { key = $1 " " $2; wall[key] = wall[key] " " $3; m = $4; gsub("_", " ", m); metric[key] = m; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
  function median(list,   a, k, i, j, t) { k = split(list, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    printf "\n%-21s %-13s %-62s %s\n", "pipeline", "program", "metric", "wall s (median)"
    for (i = 0; i < n; i++) { split(order[i], p, " "); printf "%-21s %-13s %-62s %.1f\n", p[1], p[2], metric[order[i]], median(wall[order[i]]) }
  }'
