#!/usr/bin/env bash
# Dynamic batching benchmark (issues 5 and 17), one command from the repository root:
#   loadtests/bench/batching.sh [SECONDS_PER_CASE]
# Generates the MLP (4 layers of 1024, FP32, 1024 inputs), serves two copies with `modelgate serve`
# (mlp-off: no batching; mlp-on: batching) and the iris example, drives each MLP with modelgate-load
# closed loop at concurrency 1, 8, 64, with JSON and with the binary tensor extension (--binary), and
# iris at concurrency 1 and 64 (JSON); then measures in-process ONNX Runtime (OrtBench: rows/s and
# p50 per engine call) on the MLP at batch 1 and at the mean batch size the batcher reached, and on
# iris at batch 1. The generator runs on its own core (taskset -c 0), the server and the in-process
# engine on the other (taskset -c 1); without taskset or with one core nothing is pinned (said in
# the summary). Raw results: target/bench/batching/; the table and the target lines at the end.
# Serving overhead = p50 of a request at concurrency 1 without batching minus p50 of the engine call.
# Both sides run the engine with the same session settings: INTRA_OP_THREADS (default 1: the
# server and the in-process engine each have one core) and ALLOW_SPINNING (default false: ONNX
# Runtime's idle pool threads would spin on the core the server's request handling needs; true or
# default to compare) set the MLP's model.yaml and OrtBench alike.
# Figures from a machine shared with other work are not results: run it on a quiet one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
intra="${INTRA_OP_THREADS:-1}"
spinning="${ALLOW_SPINNING:-false}"
out="$root/target/bench/batching"
repo="$out/repository"
rm -rf "$out" && mkdir -p "$repo"

mvn -B -q -o -DskipTests -pl examples/models,loadtests -am package >&2
mvn -B -q -o dependency:build-classpath -pl examples/models -Dmdep.outputFile="$out/models.cp" >&2
java -cp "examples/models/target/classes:$(cat "$out/models.cp")" dev.modelgate.examples.models.MlpModelGenerator \
  "$out/mlp" 4 1024 1024 >&2
options=$'options:\n  intra-op-threads: '"$intra"$'\n  inter-op-threads: 1\n  optimization-level: all\n'
[ "$spinning" = default ] || options+="  allow-spinning: $spinning"$'\n'
for m in mlp-off mlp-on; do mkdir -p "$repo/$m/1" && cp "$out/mlp/model.onnx" "$repo/$m/1/model.onnx"; done
iris_onnx="$root/examples/model-repository/iris/1/model.onnx"
mkdir -p "$repo/iris/1" && cp "$iris_onnx" "$repo/iris/1/model.onnx"
printf 'runtime: onnx\ninstances: 1\noptions:\n  intra-op-threads: 1\n  inter-op-threads: 1\n  optimization-level: all\n' \
  > "$repo/iris/model.yaml"

# Generator on core 0, server and in-process engine on core 1, so neither steals the other's CPU.
gen_pin=(); srv_pin=(); pinning="none (taskset missing or fewer than 2 cores)"
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  gen_pin=(taskset -c 0); srv_pin=(taskset -c 1); pinning="generator on core 0, server and in-process ORT on core 1"
fi
printf 'runtime: onnx\ninstances: 1\n%s' "$options" > "$repo/mlp-off/model.yaml"
printf 'runtime: onnx\ninstances: 1\n%sbatching:\n  max-batch-size: 64\n  max-queue-delay: 2000\n  max-queue-size: 1024\n' "$options" > "$repo/mlp-on/model.yaml"

http=18480; admin=18481; grpc=18482
echo "access-log: off" > "$out/server.yaml"
"${srv_pin[@]}" ./modelgate serve --model-repository "$repo" --config "$out/server.yaml" --http-port $http --admin-port $admin \
  --grpc-port $grpc > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/v2/health/ready" >/dev/null && break; sleep 1; done

# Unmeasured warm-up, every model and encoding at concurrency 8, then 64: the JIT compiles the
# request path on the server's one core, and on a cold JVM the C2 compiler took a quarter to a half
# of that core for the first 30 s of load (jstat -compiler: 15 s of compile time in the first 30 s
# at c=64, 0.5 s per 10 s after 40 s). WARMUP_SECONDS per model, encoding and concurrency (default 10 at
# c=8; twice that at c=64).
warm="${WARMUP_SECONDS:-10}"
warm_up() { # MODEL CONCURRENCY SECONDS [--binary]
  local m=$1 c=$2 s=$3; shift 3
  "${gen_pin[@]}" loadtests/modelgate-load --url "http://127.0.0.1:$http" --model "$m" --concurrency "$c" \
    --duration "${s}s" "$@" > "$out/warmup-$m-c$c$*.txt" 2>&1
}
for m in mlp-off mlp-on; do
  for enc in "" --binary; do
    warm_up "$m" 8 "$warm" $enc
    warm_up "$m" 64 $((2 * warm)) $enc
  done
done
warm_up iris 64 $((2 * warm))

run_case() { # NAME MODEL CONCURRENCY [--binary]
  local name=$1 m=$2 c=$3; shift 3
  local before after
  before=$(curl -s "http://127.0.0.1:$admin/admin/models/$m/versions/1/instances")
  curl -s "http://127.0.0.1:$http/v2/models/$m/versions/1/stats" > "$out/$name-c$c.stats-before.json"
  "${gen_pin[@]}" loadtests/modelgate-load --url "http://127.0.0.1:$http" --model "$m" --concurrency "$c" \
    --duration "${secs}s" --warmup 2s --json "$out/$name-c$c.json" "$@" > "$out/$name-c$c.txt" 2>&1
  after=$(curl -s "http://127.0.0.1:$admin/admin/models/$m/versions/1/instances")
  curl -s "http://127.0.0.1:$http/v2/models/$m/versions/1/stats" > "$out/$name-c$c.stats-after.json"
  echo "$before" > "$out/$name-c$c.instances-before.json"; echo "$after" > "$out/$name-c$c.instances-after.json"
}
for m in mlp-off mlp-on; do
  for c in 1 8 64; do
    run_case "$m" "$m" "$c"
    run_case "$m-binary" "$m" "$c" --binary
  done
done
for c in 1 64; do run_case iris iris "$c"; done
kill $server; wait $server 2>/dev/null || true; trap - EXIT

batch=$(python3 - "$out" <<'PY'
import json,sys
out=sys.argv[1]
b=json.load(open(f"{out}/mlp-on-binary-c64.instances-before.json")); a=json.load(open(f"{out}/mlp-on-binary-c64.instances-after.json"))
print(max(1, round((a["requests"]-b["requests"])/max(1,a["engine_calls"]-b["engine_calls"]))))
PY
)
ort_cp="$(find ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime -name 'onnxruntime-*.jar' | head -n 1)"
ort() { "${srv_pin[@]}" java -cp "$ort_cp" loadtests/bench/OrtBench.java "$@"; }
ort "$out/mlp/model.onnx" 1 "$secs" 1 "$intra" "$spinning" > "$out/ort-b1.txt"
ort "$out/mlp/model.onnx" "$batch" "$secs" 1 "$intra" "$spinning" > "$out/ort-b$batch.txt"
ort "$iris_onnx" 1 "$secs" 1 1 default > "$out/ort-iris-b1.txt"

python3 - "$out" "$batch" "$pinning" "$intra" "$spinning" <<'PY' | tee "$out/summary.md"
import json,sys,re
out,batch,pinning,intra,spinning=sys.argv[1],int(sys.argv[2]),sys.argv[3],sys.argv[4],sys.argv[5]
def ort(name):
    t=open(f"{out}/ort-{name}.txt").read()
    return {k: float(re.search(k+r"=([\d.]+)",t).group(1)) for k in ("rows_per_s","calls_per_s","p50_ms","mean_ms")}
def stats(name,c):
    """Mean ms per request of each Triton statistics phase over the case (the server's own clock)."""
    b=json.load(open(f"{out}/{name}-c{c}.stats-before.json"))["model_stats"][0]["inference_stats"]
    a=json.load(open(f"{out}/{name}-c{c}.stats-after.json"))["model_stats"][0]["inference_stats"]
    return {k:(a[k]["ns"]-b[k]["ns"])/max(1,a[k]["count"]-b[k]["count"])/1e6 for k in ("success","queue","compute_input","compute_infer","compute_output")}
print(f"pinning: {pinning}")
print(f"MLP session (server and in-process alike): intra-op-threads {intra}, allow-spinning {spinning}")
print()
print("| case | encoding | concurrency | throughput (req/s) | p50 (ms) | p99 (ms) | errors | mean batch |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
rows={}
cases=[(m+enc,m,e,c) for m in ("mlp-off","mlp-on") for (enc,e) in (("","JSON"),("-binary","binary")) for c in (1,8,64)]
cases+=[("iris","iris","JSON",c) for c in (1,64)]
for name,m,enc,c in cases:
    r=json.load(open(f"{out}/{name}-c{c}.json"))
    b=json.load(open(f"{out}/{name}-c{c}.instances-before.json")); a=json.load(open(f"{out}/{name}-c{c}.instances-after.json"))
    mean=(a["requests"]-b["requests"])/max(1,a["engine_calls"]-b["engine_calls"])
    rows[(name,c)]=r
    errs=sum(v for v in r.get("errors",{}).values() if isinstance(v,(int,float)))
    print(f"| {m} | {enc} | {c} | {r['throughput_rps']:.1f} | {r['latency_ms']['p50']:.2f} | {r['latency_ms']['p99']:.2f} | {errs} | {mean:.1f} |")
o1,ob,oi=ort("b1"),ort(f"b{batch}"),ort("iris-b1")
print()
print("| in-process ONNX Runtime | rows/s | calls/s | p50 per call (ms) |\n| --- | --- | --- | --- |")
print(f"| MLP batch 1 | {o1['rows_per_s']:.1f} | {o1['calls_per_s']:.1f} | {o1['p50_ms']:.3f} |")
print(f"| MLP batch {batch} (the batcher's mean, binary at c=64) | {ob['rows_per_s']:.1f} | {ob['calls_per_s']:.1f} | {ob['p50_ms']:.3f} |")
print(f"| iris batch 1 | {oi['rows_per_s']:.1f} | {oi['calls_per_s']:.1f} | {oi['p50_ms']:.3f} |")
print()
def p50(name,c): return rows[(name,c)]["latency_ms"]["p50"]
def rps(name,c): return rows[(name,c)]["throughput_rps"]
for name,enc in (("mlp-off","JSON"),("mlp-off-binary","binary")):
    over=p50(name,1)-o1["p50_ms"]
    print(f"serving overhead at p50, MLP {enc}, c=1, no batching: {over:.3f} ms ({p50(name,1):.3f} - {o1['p50_ms']:.3f}; target <= 0.3 ms: {'met' if over <= 0.3 else 'missed'})")
for name,enc in (("mlp-off","JSON"),("mlp-off-binary","binary")):
    st=stats(name,1)
    print(f"inside the server, MLP {enc}, c=1 (means): queue {st['queue']:.3f} ms, compute_input {st['compute_input']:.3f}, compute_infer {st['compute_infer']:.3f} (in-process engine call: mean {o1['mean_ms']:.3f}), compute_output {st['compute_output']:.3f}; request at the client: mean {rows[(name,1)]['latency_ms']['mean']:.3f}")
over=p50("iris",1)-oi["p50_ms"]
print(f"serving overhead at p50, iris JSON, c=1: {over:.3f} ms ({p50('iris',1):.3f} - {oi['p50_ms']:.3f}; target <= 0.3 ms: {'met' if over <= 0.3 else 'missed'})")
print(f"iris requests/s against in-process calls/s: c=1 {rps('iris',1):.0f} / {oi['calls_per_s']:.0f} = {100*rps('iris',1)/oi['calls_per_s']:.0f}%, c=64 {rps('iris',64):.0f} / {oi['calls_per_s']:.0f} = {100*rps('iris',64)/oi['calls_per_s']:.0f}%")
print(f"batching on / off at concurrency 64: JSON {rps('mlp-on',64)/rps('mlp-off',64):.2f}x, binary {rps('mlp-on-binary',64)/rps('mlp-off-binary',64):.2f}x (target >= 3x)")
for name,enc in (("mlp-on-binary","binary"),("mlp-on","JSON")):
    share=100*rps(name,64)/ob["rows_per_s"]
    target=f"target >= 85%: {'met' if share >= 85 else 'missed'}" if enc=="binary" else "reported, no target"
    print(f"batched {enc} at c=64 / in-process ORT at batch {batch}: {share:.0f}% ({target})")
PY
