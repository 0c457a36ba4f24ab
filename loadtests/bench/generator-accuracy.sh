#!/usr/bin/env bash
# Generator accuracy check (issue 8), one command from the repository root:
#   loadtests/bench/generator-accuracy.sh [SECONDS_PER_RUN] [CONNECTIONS]
# Drives one `modelgate runtime` server (examples/model-repository, iris, on 127.0.0.1) at
# saturation with loadtests/modelgate-load (closed loop, CONNECTIONS workers, one request in flight
# per keep-alive connection) and with wrk (2 threads, CONNECTIONS keep-alive connections, a Lua
# script posting the same OIP JSON body; wrk does not pipeline), alternating, two rounds each.
# The two throughputs must agree within 10%. With two or more cores the server is pinned to the last
# core and each generator to the others (taskset), so that the server, not a generator's share of a
# shared CPU, is the bottleneck: unpinned on the 2-core build machine the JVM generator, which costs
# more CPU per request than wrk, takes cycles from the server and the check compares CPU appetites,
# not measurements. About 1.5 minutes at 10 s per run.
# Raw results: target/bench/generator-accuracy/; the table is printed at the end (and summary.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
conns="${2:-64}"
out="$root/target/bench/generator-accuracy"
rm -rf "$out" && mkdir -p "$out"

if ! command -v wrk >/dev/null; then
  echo "generator-accuracy: installing wrk (Debian package)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi

# Build once, then run a private copy of the server jar (a concurrent rebuild must not swap
# classes under the running JVM).
./modelgate --version >&2
loadtests/modelgate-load --help >/dev/null 2>&1 || true
jar="$(find gateway/server/target -maxdepth 1 -name 'modelgate-server-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | head -n 1)"
mkdir -p "$out/modelgate" && cp "$jar" "$out/modelgate/" && cp -al gateway/server/target/lib "$out/modelgate/lib"
jar="$out/modelgate/$(basename "$jar")"
git rev-parse --short HEAD > "$out/commit.txt"

port=18601
cores=$(nproc)
server_cpu=() gen_cpu=()
if (( cores >= 2 )); then
  server_cpu=(taskset -c $((cores - 1))) gen_cpu=(taskset -c "0-$((cores - 2))")
fi
echo "server: ${server_cpu[*]:-unpinned}; generators: ${gen_cpu[*]:-unpinned}" > "$out/pinning.txt"
"${server_cpu[@]}" java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" runtime --model-repository examples/model-repository \
  --http-port $port --grpc-port 0 --drain-timeout 1 > "$out/runtime.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$server" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/models/iris/ready" && break; sleep 0.5; done

body='{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1.4, 0.2, 5.1, 3.5]}]}'
echo "$body" > "$out/request.json"
cat > "$out/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
EOF
target="http://127.0.0.1:$port"

# Unmeasured warm-up of the server's JIT.
"${gen_cpu[@]}" loadtests/modelgate-load --url "$target" --model iris --input "$out/request.json" --concurrency "$conns" \
  --duration 5s > "$out/warmup.txt" 2>&1
for round in 1 2; do
  # Ours: 2 s of unmeasured lead-in warms its own JVM; wrk (C) needs none, so its whole run counts.
  "${gen_cpu[@]}" loadtests/modelgate-load --url "$target" --model iris --input "$out/request.json" --concurrency "$conns" \
    --duration "${secs}s" --warmup 2s --json "$out/modelgate-load-$round.json" > "$out/modelgate-load-$round.txt" 2>&1
  "${gen_cpu[@]}" wrk -t 2 -c "$conns" -d "${secs}s" --latency -s "$out/post.lua" "$target/v2/models/iris/infer" \
    > "$out/wrk-$round.txt" 2>&1
done
stop; trap - EXIT

python3 - "$out" "$conns" <<'PY' | tee "$out/summary.md"
import json, re, sys
out, conns = sys.argv[1], sys.argv[2]
def ms(text, unit):
    return float(text) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rows, ours, theirs = [], [], []
for r in (1, 2):
    j = json.load(open(f"{out}/modelgate-load-{r}.json"))
    errors = j["requests"]["intended"] - j["requests"]["ok"]
    rows.append((f"modelgate-load, closed loop c={conns}", r, j["throughput_rps"], j["latency_ms"]["p50"],
                 j["latency_ms"]["p99"], errors))
    ours.append(j["throughput_rps"])
    w = open(f"{out}/wrk-{r}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", w).group(1))
    p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", w).groups())
    p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", w).groups())
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", w)
    s = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", w)
    errors = (int(m.group(1)) if m else 0) + (sum(map(int, s.groups())) if s else 0)
    rows.append((f"wrk -t2 -c{conns}", r, rps, p50, p99, errors))
    theirs.append(rps)
print("| generator | round | throughput (req/s) | p50 (ms) | p99 (ms) | errors |")
print("| --- | --- | --- | --- | --- | --- |")
for g, r, t, p50, p99, e in rows:
    print(f"| {g} | {r} | {t:.0f} | {p50:.2f} | {p99:.2f} | {e} |")
a, b = sum(ours) / len(ours), sum(theirs) / len(theirs)
diff = 100 * (a - b) / b
print()
print(f"mean throughput: modelgate-load {a:.0f} req/s, wrk {b:.0f} req/s, difference {diff:+.1f}% "
      f"({'within' if abs(diff) <= 10 else 'OUTSIDE'} the 10% bound)")
PY
