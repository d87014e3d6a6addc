#!/usr/bin/env bash
# The benchmark pipeline (benchmarks/adult-scaled.yaml: adult.data repeated to ROWS rows, default ~1M, 100 rounds)
# trained from each source side by side in one run: the CSV file; the same rows in a PostgreSQL 15 table keyed by
# their line numbers (integration-tests/bin/postgres, a server of its own on loopback; loading it is timed apart and
# not counted), read by the jdbc source in PARTITIONS key ranges (default 4); and the same rows in a Parquet file
# (written by pyarrow from the pinned Python environment, snappy, with a line column as the key; not counted).
# adult.test is the test split of all three (as CSV, a table, a Parquet file).
# The sources take turns, REPEATS times (default 3); prints each run's wall time, peak memory, when ingest finished
# (seconds after the pipeline started: the read is done), test auc and logloss, and the medians.
#   benchmarks/sources.sh        ROWS=4000000 benchmarks/sources.sh        PARTITIONS=8 benchmarks/sources.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
ROWS="${ROWS:-1000000}"
REPEATS="${REPEATS:-3}"
PARTITIONS="${PARTITIONS:-4}"
JAVA_OPTS="${JAVA_OPTS:--Xmx8g -XX:+UseParallelGC}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
data="$root/benchmarks/target/data"
out="$root/benchmarks/target/runs"
mkdir -p "$data" "$out"

csv="$data/adult-scaled.csv"
scaled_adult "$ROWS" "$csv"
echo "input: $csv ($(wc -l < "$csv") rows, $(du -h "$csv" | cut -f1))" >&2
warm_cli

# The rows as PostgreSQL reads them with COPY: the line number first, fields trimmed, "?" as empty (NULL), and
# adult.test's labels without their final dot (what the CSV source's settings do).
to_copy() {  # file, lines to skip
  awk -F',' -v skip="$2" 'NR > skip && NF == 15 {
      line = NR; out = line
      for (i = 1; i <= 15; i++) { v = $i; gsub(/^ +| +$/, "", v); if (v == "?") v = ""; if (i == 15) sub(/\.$/, "", v); out = out "," v }
      print out }' "$1"
}
pg="$out/postgres"
integration-tests/bin/postgres stop --purge "$pg" 2> /dev/null || true
rm -rf "$pg"
url="$(integration-tests/bin/postgres start --dir "$pg")"
trap 'integration-tests/bin/postgres stop --purge "$pg"' EXIT
export PGPASSWORD; PGPASSWORD="$(cat "$pg/password")"
port="$(cat "$pg/server.port")"
columns='line bigint PRIMARY KEY, age integer, workclass text, fnlwgt integer, education text, "education-num" integer,
  "marital-status" text, occupation text, relationship text, race text, sex text, "capital-gain" integer,
  "capital-loss" integer, "hours-per-week" integer, "native-country" text, income text'
start=$(date +%s.%N)
for t in train test; do
  if [ $t = train ]; then to_copy "$csv" 0; else to_copy "$root/../shared/datasets/adult/adult.test" 1; fi > "$data/copy-$t.csv"
  psql -q -h 127.0.0.1 -p "$port" -U beamline beamline -c "CREATE TABLE adult_$t ($columns)" \
    -c "\\copy adult_$t FROM '$data/copy-$t.csv' WITH (FORMAT csv)" -c "ANALYZE adult_$t"
done
echo "loaded $(psql -At -h 127.0.0.1 -p "$port" -U beamline beamline -c 'SELECT count(*) FROM adult_train') rows into adult_train" \
  "in $(echo "$(date +%s.%N) - $start" | bc) s (not counted)" >&2

# The Parquet files: pandas reads the CSV as the pipeline does (trimmed, "?" missing, labels without their dot).
python="$(integration-tests/bin/mlflow-server python)"
start=$(date +%s.%N)
"$python" - "$csv" "$data/adult-scaled.parquet" 0 "$root/../shared/datasets/adult/adult.test" "$data/adult-test.parquet" 1 <<'PY'
import sys
import pandas as pd
names = ["age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship", "race",
         "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income"]
for src, dst, skip in zip(sys.argv[1::3], sys.argv[2::3], sys.argv[3::3]):
    df = pd.read_csv(src, header=None, names=names, skiprows=int(skip), skipinitialspace=True, na_values=["?"], dtype_backend="pyarrow")
    df["income"] = df["income"].str.rstrip(".")
    df.insert(0, "line", range(int(skip) + 1, int(skip) + 1 + len(df)))
    df.to_parquet(dst, index=False, compression="snappy")
PY
echo "wrote $(du -h "$data/adult-scaled.parquet" | cut -f1) of Parquet in $(echo "$(date +%s.%N) - $start" | bc) s (not counted)" >&2

jdbc="type: jdbc, url: '$url', user: beamline, passwordEnv: PGPASSWORD, keyColumn: line, partitions: $PARTITIONS"
measure() {  # name, extra args...: prints "name wall_s max_rss_mb ingest_s test_auc test_logloss"
  local name=$1; shift
  local t="$out/time-$name.txt" o="$out/stdout-$name.txt"
  rm -rf "$out/run-$name"
  /usr/bin/time -v env BEAMLINE_JAVA_OPTS="$JAVA_OPTS" bin/beamline run benchmarks/adult-scaled.yaml --output "$out/run-$name" \
    --set report.enabled=false "$@" > "$o" 2> "$t" || { cat "$t" >&2; exit 1; }
  local ingest auc logloss
  ingest=$(sed -n 's/^  ingest *finished +\([0-9.]*\)s.*/\1/p' "$o")
  auc=$(awk '$1 == "auc" { print $4 }' "$o")
  logloss=$(awk '$1 == "logloss" { print $4 }' "$o")
  echo "$name $(wall_seconds "$t") $(peak_mb "$t") ${ingest:-nan} ${auc:-nan} ${logloss:-nan}"
}

results=()
for i in $(seq 1 "$REPEATS"); do
  results+=("$(measure csv)")
  results+=("$(measure postgres --set "sources={train: {$jdbc, table: adult_train}, test: {$jdbc, table: adult_test}}")")
  results+=("$(measure parquet --set "sources={train: {type: parquet, path: $data/adult-scaled.parquet, keyColumn: line},
    test: {type: parquet, path: $data/adult-test.parquet, keyColumn: line}}")")
  printf '%s\n' "${results[@]: -3}" >&2
done
same="the same model bytes"
for s in postgres parquet; do cmp -s "$out/run-csv/model/model.ubj" "$out/run-$s/model/model.ubj" || same="$s's model DIFFERS from csv's"; done

printf '%s\n' "${results[@]}" | awk -v rows="$ROWS" -v parts="$PARTITIONS" -v same="$same" '
  { wall[$1] = wall[$1] " " $2; rss[$1] = rss[$1] " " $3; ing[$1] = ing[$1] " " $4; auc[$1] = $5; ll[$1] = $6; n[$1]++ }
  function median(list,   a, k, i, j, t) { k = split(list, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {
    printf "\n%d rows (postgres: %d partitions), %d run(s) each, interleaved; %s\n%-9s %24s %24s %24s %9s %9s\n", rows, parts, n["csv"], same,
      "source", "wall s (runs; median)", "peak MB (runs; median)", "ingest done s (median)", "test auc", "logloss"
    split("csv postgres parquet", order, " ")
    for (k = 1; k <= 3; k++) { p = order[k]
      printf "%-9s %16s; %6.1f %16s; %6.0f %16s; %6.1f %9s %9s\n", p, wall[p], median(wall[p]), rss[p], median(rss[p]), ing[p], median(ing[p]), auc[p], ll[p] }
  }'
