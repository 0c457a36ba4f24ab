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
# The generator is a fresh JVM per round, so each round first warms it for GEN_WARMUP_SECONDS
# (default 10, unmeasured: its gRPC client stack compiles there, not in the measured window), and
# the generator runs on core 0 and the server on core 1 (taskset; unpinned without it or with one
# core). CPU per request (server's and generator's) is sampled inside the measured window: from 1 s
# after it starts to 1 s before it ends, divided by the requests answered in that time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
conns="${2:-8}"
warm="${3:-60}"
gen_warm="${GEN_WARMUP_SECONDS:-10}"
(( secs >= 4 )) || { echo "SECONDS_PER_CASE must be at least 4 (CPU is sampled inside the window)" >&2; exit 2; }
gen_pin=(); srv_pin=(); pinning="none (taskset missing or fewer than 2 cores)"
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  gen_pin=(taskset -c 0); srv_pin=(taskset -c 1); pinning="generator on core 0, server on core 1"
fi
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
"${srv_pin[@]}" java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" serve --model-repository "$repo" --config "$out/server.yaml" \
  --http-port $http --grpc-port $grpc --admin-port $admin > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/big/ready" && break; sleep 0.5; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run() { # name url extra-args...
  local name=$1 url=$2; shift 2
  "${gen_pin[@]}" loadtests/modelgate-load --url "$url" --model big --concurrency "$conns" \
    --warmup "${gen_warm}s" --duration "${secs}s" --json "$out/$name.json" "$@" > "$out/$name.txt" 2>&1 &
  local gen=$!
  # The generator's JVM starts in well under a second, so this window lies inside the measured one.
  sleep $(( gen_warm + 1 ))
  local s0 g0 t0 s1 g1 t1
  s0=$(ticks $server); g0=$(ticks $gen); t0=$(date +%s.%N)
  sleep $(( secs - 2 ))
  s1=$(ticks $server); g1=$(ticks $gen); t1=$(date +%s.%N)
  wait $gen
  echo "$s0 $s1 $g0 $g1 $t0 $t1" > "$out/$name.cpu"
}
warmup() { # url extra-args...
  "${gen_pin[@]}" loadtests/modelgate-load --url "$1" --model big --concurrency "$conns" --duration "${warm}s" \
    "${@:2}" > /dev/null 2>&1
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

python3 - "$out" "$conns" "$(getconf CLK_TCK)" "$pinning" <<'PY' | tee "$out/summary.md"
import json, sys
out, conns, hz, pinning = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def mean(xs): return sum(xs) / len(xs)
def per_request(run, cpu):
    """CPU ms per request of the server and the generator inside the sampling window."""
    s0, s1, g0, g1, t0, t1 = (float(x) for x in cpu.split())
    requests = run["throughput_rps"] * (t1 - t0)
    return 1000 * (s1 - s0) / hz / max(1, requests), 1000 * (g1 - g0) / hz / max(1, requests)
rows = {}
for name in ("rest-json", "rest-binary", "grpc"):
    runs = [json.load(open(f"{out}/{name}-{i}.json")) for i in (1, 2)]
    cpu = [per_request(r, open(f"{out}/{name}-{i}.cpu").read()) for i, r in zip((1, 2), runs)]
    rows[name] = dict(
        rps=mean([r["throughput_rps"] for r in runs]),
        rounds=[r["throughput_rps"] for r in runs],
        p50=mean([r["latency_ms"]["p50"] for r in runs]),
        p99=mean([r["latency_ms"]["p99"] for r in runs]),
        errors=sum(r["requests"]["intended"] - r["requests"]["ok"] for r in runs),
        cpu_ms=mean([c[0] for c in cpu]), gen_ms=mean([c[1] for c in cpu]))
base = rows["rest-json"]["rps"]
print(f"pinning: {pinning}")
print()
print("| protocol | throughput (req/s, mean of 2 rounds) | rounds | input MiB/s | p50 (ms) | p99 (ms) | errors "
      "| server CPU ms / request | generator CPU ms / request | throughput / REST JSON |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, r in rows.items():
    print(f"| {name} | {r['rps']:.0f} | {' / '.join(f'{x:.0f}' for x in r['rounds'])} | "
          f"{r['rps'] * 65536 * 4 / 2**20:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
          f"{r['cpu_ms']:.2f} | {r['gen_ms']:.2f} | {r['rps'] / base:.2f}x |")
print()
print(f"closed loop, concurrency {conns}, one [1, 65536] FP32 input per request")
g, b = rows["grpc"], rows["rest-binary"]
print(f"gRPC / REST binary: throughput {g['rps'] / b['rps']:.2f}x (target >= 1.0x), "
      f"server CPU per request {g['cpu_ms'] / b['cpu_ms']:.2f}x, "
      f"generator CPU per request {g['gen_ms'] / b['gen_ms']:.2f}x")
PY
