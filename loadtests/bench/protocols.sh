#!/usr/bin/env bash
# REST JSON vs REST binary tensors vs gRPC (issue 6), one command from the repository root:
#   loadtests/bench/protocols.sh [SECONDS_PER_CASE] [CONCURRENCY] [WARMUP_SECONDS]
# Generates a large-input model (an MLP with 65,536 FP32 inputs, one hidden layer of 16: 256 KiB of
# input per request and little compute, so the protocol is what is measured), serves it with
# `modelgate serve`, and drives it with loadtests/modelgate-load closed loop, the same generated
# input each way: OIP REST with JSON tensors, OIP REST with the binary tensor extension, and gRPC
# ModelInfer with raw_input_contents. Raw results: target/bench/protocols/; the table is printed
# at the end (and summary.md).
# Each protocol is warmed for WARMUP_SECONDS (default 60) before anything is measured: on 2 cores a
# 15 s warm-up left C2 compiling the gRPC stack (perf: 55% of the server's CPU during the measured
# gRPC round was the C2 compiler thread, 22% during REST binary's), so short runs compared the JIT,
# not the protocols. Then two measured rounds in opposite orders; the table gives each protocol's
# mean and the server's CPU per request (user + system, from /proc), which load on the machine
# disturbs far less than throughput.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
conns="${2:-8}"
warm="${3:-60}"
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

ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
run() { # name url extra-args...
  local name=$1 url=$2; shift 2
  local before; before=$(ticks)
  loadtests/modelgate-load --url "$url" --model big --concurrency "$conns" --duration "${secs}s" \
    --json "$out/$name.json" "$@" > "$out/$name.txt" 2>&1
  echo $(( $(ticks) - before )) > "$out/$name.ticks"
}
warmup() { # url extra-args...
  loadtests/modelgate-load --url "$1" --model big --concurrency "$conns" --duration "${warm}s" "${@:2}" \
    > /dev/null 2>&1
}
warmup "http://127.0.0.1:$http"
warmup "http://127.0.0.1:$http" --binary
warmup "grpc://127.0.0.1:$grpc"
run rest-json-1 "http://127.0.0.1:$http"
run rest-binary-1 "http://127.0.0.1:$http" --binary
run grpc-1 "grpc://127.0.0.1:$grpc"
run grpc-2 "grpc://127.0.0.1:$grpc"
run rest-binary-2 "http://127.0.0.1:$http" --binary
run rest-json-2 "http://127.0.0.1:$http"
kill $server; wait $server 2>/dev/null || true; trap - EXIT

python3 - "$out" "$conns" "$(getconf CLK_TCK)" <<'PY' | tee "$out/summary.md"
import json, sys
out, conns, hz = sys.argv[1], sys.argv[2], int(sys.argv[3])
def mean(xs): return sum(xs) / len(xs)
rows = {}
for name in ("rest-json", "rest-binary", "grpc"):
    runs = [json.load(open(f"{out}/{name}-{i}.json")) for i in (1, 2)]
    ticks = [int(open(f"{out}/{name}-{i}.ticks").read()) for i in (1, 2)]
    ok = sum(r["requests"]["ok"] for r in runs)
    rows[name] = dict(
        rps=mean([r["throughput_rps"] for r in runs]),
        rounds=[r["throughput_rps"] for r in runs],
        p50=mean([r["latency_ms"]["p50"] for r in runs]),
        p99=mean([r["latency_ms"]["p99"] for r in runs]),
        errors=sum(r["requests"]["intended"] - r["requests"]["ok"] for r in runs),
        cpu_ms=1000 * sum(ticks) / hz / max(1, ok))
base = rows["rest-json"]["rps"]
print("| protocol | throughput (req/s, mean of 2 rounds) | rounds | input MiB/s | p50 (ms) | p99 (ms) | errors "
      "| server CPU ms / request | throughput / REST JSON |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, r in rows.items():
    print(f"| {name} | {r['rps']:.0f} | {' / '.join(f'{x:.0f}' for x in r['rounds'])} | "
          f"{r['rps'] * 65536 * 4 / 2**20:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
          f"{r['cpu_ms']:.2f} | {r['rps'] / base:.2f}x |")
print()
print(f"closed loop, concurrency {conns}, one [1, 65536] FP32 input per request")
g, b = rows["grpc"], rows["rest-binary"]
print(f"gRPC / REST binary: throughput {g['rps'] / b['rps']:.2f}x (target >= 1.0x), "
      f"server CPU per request {g['cpu_ms'] / b['cpu_ms']:.2f}x")
PY
