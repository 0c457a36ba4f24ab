#!/usr/bin/env bash
# Dynamic batching benchmark (issue 5), one command from the repository root:
#   loadtests/bench/batching.sh [SECONDS_PER_CASE]
# Generates the MLP (4 layers of 1024, FP32, 1024 inputs), serves two copies with `modelgate serve`
# (mlp-off: no batching; mlp-on: batching), drives each with modelgate-load closed loop at
# concurrency 1, 8, 64, then measures in-process ONNX Runtime at batch 1 and at the mean batch size
# the batcher reached. Raw results: target/bench/batching/; the table is printed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
out="$root/target/bench/batching"
repo="$out/repository"
rm -rf "$out" && mkdir -p "$repo"

mvn -B -q -o -DskipTests -pl examples/models,loadtests -am package >&2
mvn -B -q -o dependency:build-classpath -pl examples/models -Dmdep.outputFile="$out/models.cp" >&2
java -cp "examples/models/target/classes:$(cat "$out/models.cp")" dev.modelgate.examples.models.MlpModelGenerator \
  "$out/mlp" 4 1024 1024 >&2
options=$'options:\n  intra-op-threads: 2\n  inter-op-threads: 1\n  optimization-level: all\n'
for m in mlp-off mlp-on; do mkdir -p "$repo/$m/1" && cp "$out/mlp/model.onnx" "$repo/$m/1/model.onnx"; done
printf 'runtime: onnx\ninstances: 1\n%s' "$options" > "$repo/mlp-off/model.yaml"
printf 'runtime: onnx\ninstances: 1\n%sbatching:\n  max-batch-size: 64\n  max-queue-delay: 2000\n  max-queue-size: 1024\n' "$options" > "$repo/mlp-on/model.yaml"

http=18480; admin=18481; grpc=18482
echo "access-log: off" > "$out/server.yaml"
./modelgate serve --model-repository "$repo" --config "$out/server.yaml" --http-port $http --admin-port $admin \
  --grpc-port $grpc > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$http/v2/health/ready" >/dev/null && break; sleep 1; done

for m in mlp-off mlp-on; do
  for c in 1 8 64; do
    before=$(curl -s "http://127.0.0.1:$admin/admin/models/$m/versions/1/instances")
    loadtests/modelgate-load --url "http://127.0.0.1:$http" --model "$m" --concurrency "$c" \
      --duration "${secs}s" --warmup 2s --json "$out/$m-c$c.json" > "$out/$m-c$c.txt" 2>&1
    after=$(curl -s "http://127.0.0.1:$admin/admin/models/$m/versions/1/instances")
    echo "$before" > "$out/$m-c$c.instances-before.json"; echo "$after" > "$out/$m-c$c.instances-after.json"
  done
done
kill $server; wait $server 2>/dev/null || true; trap - EXIT

batch=$(python3 - "$out" <<'PY'
import json,sys
out=sys.argv[1]
b=json.load(open(f"{out}/mlp-on-c64.instances-before.json")); a=json.load(open(f"{out}/mlp-on-c64.instances-after.json"))
print(max(1, round((a["requests"]-b["requests"])/max(1,a["engine_calls"]-b["engine_calls"]))))
PY
)
ort_cp="$(find ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime -name 'onnxruntime-*.jar' | head -n 1)"
java -cp "$ort_cp" loadtests/bench/OrtBench.java "$out/mlp/model.onnx" 1 "$secs" 1 > "$out/ort-b1.txt"
java -cp "$ort_cp" loadtests/bench/OrtBench.java "$out/mlp/model.onnx" "$batch" "$secs" 1 > "$out/ort-b$batch.txt"

python3 - "$out" "$batch" <<'PY' | tee "$out/summary.md"
import json,sys,re
out,batch=sys.argv[1],int(sys.argv[2])
def ort(b):
    t=open(f"{out}/ort-b{b}.txt").read(); return float(re.search(r"rows_per_s=([\d.]+)",t).group(1))
print("| case | concurrency | throughput (req/s) | p50 (ms) | p99 (ms) | errors | mean batch |")
print("| --- | --- | --- | --- | --- | --- | --- |")
rows={}
for m in ("mlp-off","mlp-on"):
    for c in (1,8,64):
        r=json.load(open(f"{out}/{m}-c{c}.json"))
        b=json.load(open(f"{out}/{m}-c{c}.instances-before.json")); a=json.load(open(f"{out}/{m}-c{c}.instances-after.json"))
        mean=(a["requests"]-b["requests"])/max(1,a["engine_calls"]-b["engine_calls"])
        rows[(m,c)]=r["throughput_rps"]
        errs=sum(v for v in r.get("errors",{}).values() if isinstance(v,(int,float)))
        print(f"| {m} | {c} | {r['throughput_rps']:.1f} | {r['latency_ms']['p50']:.2f} | {r['latency_ms']['p99']:.2f} | {errs} | {mean:.1f} |")
o1,ob=ort(1),ort(batch)
print()
print(f"| in-process ONNX Runtime | rows/s |\n| --- | --- |\n| batch 1 | {o1:.1f} |\n| batch {batch} (the batcher's mean at c=64) | {ob:.1f} |")
print()
print(f"batching on / off at concurrency 64: {rows[('mlp-on',64)]/rows[('mlp-off',64)]:.2f}x (target >= 3x)")
print(f"gateway with batching / in-process ORT at batch {batch}: {100*rows[('mlp-on',64)]/ob:.0f}% (target >= 85%)")
PY
