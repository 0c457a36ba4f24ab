#!/usr/bin/env bash
# REST JSON vs REST binary tensors vs gRPC (issue 6), one command from the repository root:
#   loadtests/bench/protocols.sh [SECONDS_PER_CASE] [CONCURRENCY]
# Generates a large-input model (an MLP with 65,536 FP32 inputs, one hidden layer of 16: 256 KiB of
# input per request and little compute, so the protocol is what is measured), serves it with
# `modelgate serve`, and drives it with loadtests/modelgate-load closed loop, the same generated
# input each way: OIP REST with JSON tensors, OIP REST with the binary tensor extension, and gRPC
# ModelInfer with raw_input_contents. Raw results: target/bench/protocols/; the table is printed
# at the end (and summary.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
conns="${2:-8}"
out="$root/target/bench/protocols"
repo="$out/repository"
rm -rf "$out" && mkdir -p "$repo/big/1"

mvn -B -q -DskipTests -pl examples/models,loadtests -am package >&2
mvn -B -q dependency:build-classpath -pl examples/models -Dmdep.outputFile="$out/models.cp" >&2
java -cp "examples/models/target/classes:$(cat "$out/models.cp")" dev.modelgate.examples.models.MlpModelGenerator \
  "$out/mlp" 1 16 65536 >&2
cp "$out/mlp/model.onnx" "$repo/big/1/model.onnx"
printf 'runtime: onnx\ninstances: 2\noptions:\n  intra-op-threads: 1\n' > "$repo/big/model.yaml"

# A private copy of the server jar: a concurrent rebuild must not swap classes under the JVM.
./modelgate --version >&2
jar="$(find gateway/server/target -maxdepth 1 -name 'modelgate-server-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | head -n 1)"
mkdir -p "$out/modelgate" && cp "$jar" "$out/modelgate/" && cp -al gateway/server/target/lib "$out/modelgate/lib"
jar="$out/modelgate/$(basename "$jar")"
git rev-parse --short HEAD > "$out/commit.txt"

http=18701; grpc=18702; admin=18703
echo "access-log: off" > "$out/server.yaml"
java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" serve --model-repository "$repo" --config "$out/server.yaml" \
  --http-port $http --grpc-port $grpc --admin-port $admin > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/big/ready" && break; sleep 0.5; done

run() { # name url extra-args...
  local name=$1 url=$2; shift 2
  loadtests/modelgate-load --url "$url" --model big --concurrency "$conns" --duration "${secs}s" --warmup 5s \
    --json "$out/$name.json" "$@" > "$out/$name.txt" 2>&1
}
# One unmeasured round first: the server's JIT warms on every path.
run warmup-json "http://127.0.0.1:$http"
run warmup-binary "http://127.0.0.1:$http" --binary
run warmup-grpc "grpc://127.0.0.1:$grpc"
run rest-json "http://127.0.0.1:$http"
run rest-binary "http://127.0.0.1:$http" --binary
run grpc "grpc://127.0.0.1:$grpc"
kill $server; wait $server 2>/dev/null || true; trap - EXIT

python3 - "$out" "$conns" <<'PY' | tee "$out/summary.md"
import json, sys
out, conns = sys.argv[1], sys.argv[2]
rows = {}
print(f"| protocol | throughput (req/s) | input MiB/s | p50 (ms) | p99 (ms) | errors | throughput / REST JSON |")
print("| --- | --- | --- | --- | --- | --- | --- |")
base = json.load(open(f"{out}/rest-json.json"))["throughput_rps"]
for name in ("rest-json", "rest-binary", "grpc"):
    r = json.load(open(f"{out}/{name}.json"))
    errors = r["requests"]["intended"] - r["requests"]["ok"]
    rps = r["throughput_rps"]
    print(f"| {name} | {rps:.0f} | {rps * 65536 * 4 / 2**20:.0f} | {r['latency_ms']['p50']:.2f} | "
          f"{r['latency_ms']['p99']:.2f} | {errors} | {rps / base:.2f}x |")
print()
print(f"closed loop, concurrency {conns}, one [1, 65536] FP32 input per request")
PY
