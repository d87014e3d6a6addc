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
