#!/usr/bin/env bash
# The scoring image against `beamline serve` on the host, side by side in one run: the image's size (the
# archive and as loaded), build time cold (a fresh cache: the Debian base image and every layer built
# anew) and warm (the same model again), container start to the first answered /ping (median of 3), and
# wrk throughput of the container and of the host server on the same model and requests (1-row and 100-row
# bodies at concurrency 16, DURATION s each after a 30 s warm-up; the server on core 0, wrk on core 1).
#   benchmarks/image.sh        DURATION=5 benchmarks/image.sh        COLD=0 benchmarks/image.sh (skip the cold build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. benchmarks/lib.sh
DURATION="${DURATION:-20}"
for tool in wrk podman curl; do command -v $tool > /dev/null || { echo "image.sh needs $tool" >&2; exit 2; }; done
export CONTAINERS_CONF="$(bin/base-image conf)"
work="$root/benchmarks/target/image"
serving="$root/benchmarks/target/serving"
mkdir -p "$work" "$serving"
warm_cli
model="$serving/adult-run"
[ -f "$model/run.json" ] || bin/beamline run pipelines/adult-income/pipeline.yaml --output "$model" > "$work/train.log"
tag="localhost/beamline-bench-adult:1"
name="beamline-bench-$$"
trap 'podman rm -f -t 0 $name > /dev/null 2>&1 || true; podman rmi -f $tag > /dev/null 2>&1 || true; [ -n "${hpid:-}" ] && kill $hpid 2>/dev/null; rm -rf "$work/cold-cache"' EXIT

seconds() { local s=$(date +%s.%N); "$@" > /dev/null; echo "$(date +%s.%N) - $s" | bc; }

if [ "${COLD:-1}" = 1 ]; then
  # Cold: nothing cached, the base image included.
  cold=$(seconds env BEAMLINE_CACHE="$work/cold-cache" bin/beamline image --model "$model" --tag "$tag" --output "$work/cold.tar")
  printf "build cold (Debian base image + layers): %.1f s\n" "$cold"
fi
base="$(bin/base-image)"
cold_layers=$(seconds env BEAMLINE_CACHE="$work/cold-layers" BEAMLINE_BASE_IMAGE="tar://$base" bin/beamline image --model "$model" --tag "$tag" --output "$work/image.tar")
rm -rf "$work/cold-layers"
printf "build, base image cached, no layer cached: %.1f s\n" "$cold_layers"
warm=$(seconds env BEAMLINE_BASE_IMAGE="tar://$base" bin/beamline image --model "$model" --tag "$tag" --output "$work/image.tar")
printf "build warm (the same model again): %.1f s\n" "$warm"
load=$(seconds podman load -i "$work/image.tar")
printf "podman load: %.1f s\n" "$load"
printf "size: archive %d MB, loaded %s\n" "$(du -m "$work/image.tar" | cut -f1)" "$(podman image inspect --format '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1048576}')"

port=$("$(integration-tests/bin/mlflow-server python)" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
starts=()
for i in 1 2 3; do
  s=$(date +%s.%N)
  podman run -d --name "$name" --cpuset-cpus 0 -p "127.0.0.1:$port:8080" "$tag" > /dev/null
  until curl -sf "http://127.0.0.1:$port/ping" > /dev/null; do sleep 0.05; done
  starts+=("$(echo "$(date +%s.%N) - $s" | bc)")
  [ $i = 3 ] || podman rm -f -t 10 "$name" > /dev/null
done
printf "%s\n" "${starts[@]}" | sort -n | awk '{v[NR]=$1} END {printf "container start to first /ping: median %.2f s (%.2f, %.2f, %.2f)\n", v[2], v[1], v[2], v[3]}'

hport=$((port + 1))
BEAMLINE_CDS=0 taskset -c 0 bin/beamline serve --model "$model" --port "$hport" > "$work/host-serve.log" 2>&1 &
hpid=$!
until curl -sf "http://127.0.0.1:$hport/ping" > /dev/null; do sleep 0.2; done

request_bodies "$(integration-tests/bin/mlflow-server python)" "$work"
for p in $port $hport; do for n in 1 100; do BODY="$work/body-$n.json" taskset -c 1 wrk -t1 -c16 -d15s -s "$work/post.lua" "http://127.0.0.1:$p/invocations" > /dev/null; done; done
wrk_header
for n in 1 100; do
  for which in container host; do
    p=$([ $which = container ] && echo $port || echo $hport)
    BODY="$work/body-$n.json" taskset -c 1 wrk -t1 -c16 -d"${DURATION}s" --latency -s "$work/post.lua" "http://127.0.0.1:$p/invocations" > "$work/wrk.txt"
    wrk_line "$which" "$n" 16 "$work/wrk.txt"
  done
done
