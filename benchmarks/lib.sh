# Shared by the benchmark scripts (sourced, not run).

# scaled_adult ROWS FILE: adult.data repeated to ROWS rows in FILE, generated once per size.
scaled_adult() {
  local rows=$1 csv=$2
  if [ ! -f "$csv" ] || [ "$(wc -l < "$csv")" -ne "$rows" ]; then
    echo "generating $rows rows from adult.data..." >&2
    awk -v n="$rows" 'NR > 1 && NF > 0 { row[m++] = $0 } END { for (i = 0; i < n; i++) print row[i % m] }' \
      "$root/../shared/datasets/adult/adult.data" > "$csv"
  fi
}

# wall_seconds FILE / peak_mb FILE: wall time and maximum resident set size from GNU time -v's output.
wall_seconds() {
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"
}
peak_mb() {
  awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}

# Builds the CLI if needed and makes one small run, so that the class data sharing archive bin/beamline
# records on the first run after a build exists before anything is timed.
warm_cli() {
  local out
  out="$(mktemp -d)"
  bin/beamline run pipelines/agaricus/pipeline.yaml --output "$out/run" > /dev/null
  rm -rf "$out"
}

# measure_run OUT NAME [RUN ARGS...]: one timed `beamline run benchmarks/adult-scaled.yaml` with RUN ARGS, its
# output and GNU time's report kept in OUT (the run directory is removed); prints "NAME wall_s peak_mb".
measure_run() {
  local out=$1 name=$2; shift 2
  local dir="$out/run-$name-$RANDOM$RANDOM"
  /usr/bin/time -v bin/beamline run benchmarks/adult-scaled.yaml --output "$dir" "$@" > "$out/stdout-$name.txt" 2> "$out/time-$name.txt" \
    || { cat "$out/stdout-$name.txt" "$out/time-$name.txt" >&2; exit 1; }
  rm -rf "$dir"
  echo "$name $(wall_seconds "$out/time-$name.txt") $(peak_mb "$out/time-$name.txt")"
}

# median_of NAME COLUMN: the median of that column over the lines of the global array results whose first field is NAME.
median_of() {
  printf "%s\n" "${results[@]}" | awk -v n="$1" -v c="$2" '$1 == n {print $c}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'
}

# print_results NAME...: each run's line, then the median wall time and peak memory of each NAME.
print_results() {
  printf "%-10s %8s %8s\n" run "wall s" "peak MB"
  printf "%s\n" "${results[@]}" | awk '{printf "%-10s %8.1f %8d\n", $1, $2, $3}'
  for k in "$@"; do printf "median %-10s %8.1f s %8d MB\n" "$k" "$(median_of "$k" 2)" "$(median_of "$k" 3)"; done
}

# request_bodies PYTHON DIR: the serving benchmarks' requests in DIR: raw adult.test rows (text, as in the
# file) in pandas' split orientation, 1 and 100 rows (body-1.json, body-100.json), and post.lua, which makes
# wrk POST the file named by $BODY.
request_bodies() {
  "$1" - "$root/../shared/datasets/adult/adult.test" "$2" <<'PY'
import json, sys
src, out = sys.argv[1:3]
cols = ["age","workclass","fnlwgt","education","education-num","marital-status","occupation","relationship","race","sex",
        "capital-gain","capital-loss","hours-per-week","native-country"]
rows = [l.rstrip("\n").split(",")[:14] for l in open(src, encoding="utf-8").readlines()[1:] if l.strip()]
for n in (1, 100):
    json.dump({"dataframe_split": {"columns": cols, "data": rows[:n]}}, open(f"{out}/body-{n}.json", "w"))
PY
  cat > "$2/post.lua" <<'LUA'
local f = io.open(os.getenv("BODY"), "r"); local body = f:read("*a"); f:close()
wrk.method = "POST"; wrk.body = body; wrk.headers["Content-Type"] = "application/json"
LUA
}

# wrk_line SERVER ROWS CONCURRENCY WRK_OUTPUT: one line of a serving table from wrk --latency's output.
wrk_line() {
  awk -v server="$1" -v rows="$2" -v c="$3" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    / 50%/ { p50 = ms($2) } / 99%/ { p99 = ms($2) } /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
    END { printf "%-10s %4d %4d %10.0f %11.0f %9.2f %9.2f %6d\n", server, rows, c, rps, rps * rows, p50, p99, bad + 0 }' "$4"
}
wrk_header() {
  printf "%-10s %4s %4s %10s %11s %9s %9s %6s\n" server rows conc "req/s" "rows/s" "p50 ms" "p99 ms" non2xx
}

# MEDIAN_AWK: the awk function median(LIST) of a space-separated list of numbers ("-" when the list starts with
# "-": not measured), for the scripts' summaries: awk "$MEDIAN_AWK"' { ... } END { ... median(x) ... }'.
MEDIAN_AWK='function median(list,   a, k, i, j, t) { k = split(list, a, " "); if (a[1] == "-") return "-"; for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }; return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }'
