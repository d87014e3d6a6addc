#!/usr/bin/env bash
# What tracking costs a run: `beamline run` of adult-income without a tracking URI and with one (a real
# MLflow server from integration-tests/bin/mlflow-server on 127.0.0.1), interleaved, REPEATS times each
# (default 3). Prints each wall time, the medians, their difference, and the HTTP requests of each tracked run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
REPEATS="${REPEATS:-3}"
PIPELINE="${PIPELINE:-pipelines/adult-income/pipeline.yaml}"
work="$(mktemp -d "${TMPDIR:-/tmp}/beamline-tracking-bench.XXXXXX")"
trap 'integration-tests/bin/mlflow-server stop "$work/mlflow" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

warm_cli   # builds the CLI if needed and records its class archive, outside the timings
uri="$(integration-tests/bin/mlflow-server start --dir "$work/mlflow" 2> /dev/null)"
echo "server: $uri" >&2

wall() {  # command...: prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/last.out" 2>&1 || { cat "$work/last.out" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }'
}

plain=(); tracked=(); calls=()
for i in $(seq 1 "$REPEATS"); do
  plain+=("$(wall bin/beamline run "$PIPELINE" --output "$work/plain-$i")")
  tracked+=("$(wall bin/beamline run "$PIPELINE" --output "$work/tracked-$i" --tracking-uri "$uri")")
  grep -q "events delivered to" "$work/last.out" || { cat "$work/last.out" >&2; echo "tracking did not deliver" >&2; exit 1; }
  calls+=("$(sed -n 's/.*"httpCalls" : "\([0-9]*\)".*/\1/p' "$work/tracked-$i"/tracking/sync-*.json)")
  echo "run $i: without ${plain[-1]} s, with ${tracked[-1]} s (${calls[-1]} HTTP requests)" >&2
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
m_plain=$(median "${plain[@]}"); m_tracked=$(median "${tracked[@]}")
echo
echo "$PIPELINE, $REPEATS run(s) each"
echo "without tracking: ${plain[*]} s; median $m_plain s"
echo "with tracking:    ${tracked[*]} s; median $m_tracked s"
echo "HTTP requests per tracked run: ${calls[*]}"
awk -v a="$m_plain" -v b="$m_tracked" 'BEGIN { printf "tracking adds %.2f s (median against median)\n", b - a }'
