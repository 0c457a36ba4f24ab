#!/usr/bin/env bash
# Cold start of local replicas, measured (README "Autoscaling and scale to zero"):
#   1. spawn -> /v2/health/ready 200 of `modelgate runtime --only MODEL:VERSION`, RUNS times per model;
#   2. the first request to a gateway revision parked at zero (replicas {min: 0, initial-scale: 0}),
#      from the client's send to its answer (spawn, load, warm-up, ready poll, relay included).
# Both with the JVM flags in REPLICA_OPTS; with CDS=1 a class-data sharing archive is made first
# (a training run with -XX:ArchiveClassesAtExit) and every child gets -XX:SharedArchiveFile.
# Usage: loadtests/coldstart.sh REPO [MODEL:VERSION ...]   (build first: mvn -pl gateway/server -am package)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${JAR:-$(ls "$root"/gateway/server/target/modelgate-server-*.jar | grep -v -e sources -e tests | head -n 1)}"
repo="$(cd "$1" && pwd)"; shift
models=("${@:-iris:1}")
runs="${RUNS:-5}"
opts="${REPLICA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto}"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
printf 'bind-address: 127.0.0.1\naccess-log: off\ndrain-timeout: 2s\n' > "$work/replica.yaml"
now() { date +%s%N; }
port=18600

ready_ms() { # $1 model:version, $2.. extra JVM flags; prints spawn-to-ready milliseconds
  local m="$1"; shift; port=$((port + 1))
  local t0; t0=$(now)
  java $opts "$@" -jar "$jar" runtime --config "$work/replica.yaml" --model-repository "$repo" \
    --only "$m" --http-port "$port" --grpc-port 0 > "$work/child.log" 2>&1 &
  local pid=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/child.log" >&2; return 1; }
    sleep 0.002
  done
  echo $(( ($(now) - t0) / 1000000 ))
  kill -TERM "$pid"; wait "$pid" || true
}

cds=()
if [[ "${CDS:-0}" == 1 ]]; then
  m="${models[0]}"; port=$((port + 1))
  java $opts -XX:ArchiveClassesAtExit="$work/app.jsa" -jar "$jar" runtime --config "$work/replica.yaml" \
    --model-repository "$repo" --only "$m" --http-port "$port" --grpc-port 0 > "$work/train.log" 2>&1 &
  pid=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/health/ready")" == 200 ]]; do sleep 0.01; done
  kill -TERM "$pid"; wait "$pid" || true
  cds=(-XX:SharedArchiveFile="$work/app.jsa")
  echo "CDS archive: $(du -h "$work/app.jsa" | cut -f1)"
fi

for m in "${models[@]}"; do
  times=()
  for _ in $(seq "$runs"); do times+=("$(ready_ms "$m" "${cds[@]}")"); done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "spawn-to-ready $m (ms, $runs runs): ${times[*]}  median ${sorted[$((runs / 2))]}"
done

# First request from zero through a gateway.
m="${models[0]}"; name="${m%%:*}"; version="${m##*:}"
http=$((port + 10)); admin=$((port + 11))
cat > "$work/gateway.yaml" <<YAML
model-repository: $repo
bind-address: 127.0.0.1
http-port: $http
grpc-port: 0
admin-port: $admin
access-log: off
services:
  - name: cold
    revisions:
      - {name: v1, model: $name, version: $version, replicas: {min: 0, max: 1, initial-scale: 0}}
    traffic: {weights: {v1: 100}}
YAML
MODELGATE_REPLICA_JAVA_OPTS="$opts ${cds[*]}" java -jar "$jar" serve --config "$work/gateway.yaml" > "$work/gateway.log" 2>&1 &
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/v2/health/ready")" == 200 ]]; do sleep 0.05; done
body="${BODY:-}"
if [[ -z "$body" ]]; then
  width="$(curl -s "http://127.0.0.1:$http/v2/models/$name/versions/$version" | python3 -c 'import json,sys; t=json.load(sys.stdin)["inputs"][0]; print(t["shape"][-1])')"
  body="{\"inputs\":[{\"name\":\"$(curl -s "http://127.0.0.1:$http/v2/models/$name/versions/$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["inputs"][0]["name"])')\",\"datatype\":\"FP32\",\"shape\":[1,$width],\"data\":[$(python3 -c "print(','.join(['0.5']*$width))")]}]}"
fi
echo "$body" > "$work/body.json"
echo "state before: $(curl -s "http://127.0.0.1:$admin/admin/services/cold/revisions/v1/scale" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["state"], "ready", d["ready"])')"
curl -s -o "$work/answer.json" -w 'first request from zero: HTTP %{http_code} in %{time_total} s\n' \
  -H 'Content-Type: application/json' --data @"$work/body.json" "http://127.0.0.1:$http/v2/models/cold/infer"
curl -s -o /dev/null -w 'second request: HTTP %{http_code} in %{time_total} s\n' \
  -H 'Content-Type: application/json' --data @"$work/body.json" "http://127.0.0.1:$http/v2/models/cold/infer"
