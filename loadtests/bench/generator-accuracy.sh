#!/usr/bin/env bash
# Generator accuracy check (issue 8), one command from the repository root:
#   loadtests/bench/generator-accuracy.sh [SECONDS_PER_RUN] [CONNECTIONS]
# Two targets, each driven at saturation by both generators: (1) "gateway": `modelgate serve` with a
# service whose one revision is a `modelgate runtime` server (iris) as a remote endpoint, the
# realistic target, which saturates below the generator's own ceiling, so the two throughputs must
# agree within 10%; (2) "direct": the runtime server alone, a target fast enough (tens of thousands
# of tiny requests per second) that it shows each generator's own ceiling on one core.
# Each target is driven with loadtests/modelgate-load (closed loop, CONNECTIONS workers, one request in flight
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
echo "access-log: off" > "$out/runtime.yaml"
"${server_cpu[@]}" java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" runtime --model-repository examples/model-repository \
  --config "$out/runtime.yaml" --http-port $port --grpc-port 0 --drain-timeout 1 > "$out/runtime.log" 2>&1 &
server=$!
stop() {
  for pid in "$server" ${gateway:-}; do kill "$pid" 2>/dev/null || true; done
  for pid in "$server" ${gateway:-}; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$port/v2/models/iris/ready" && break; sleep 0.5; done
gw_port=18611
cat > "$out/gateway.yaml" <<EOF
access-log: off
services:
  - name: remote-iris
    revisions:
      - {name: v1, model: iris, version: 1, endpoints: ["http://127.0.0.1:$port"], max-in-flight: 256, max-queue: 1024}
    traffic:
      weights: {v1: 100}
EOF
"${server_cpu[@]}" java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" serve --model-repository examples/model-repository \
  --config "$out/gateway.yaml" --http-port $gw_port --grpc-port 0 --admin-port 0 > "$out/gateway.log" 2>&1 &
gateway=$!
for _ in $(seq 1 120); do curl -sf -o /dev/null "http://127.0.0.1:$gw_port/v2/models/remote-iris/ready" && break; sleep 0.5; done

body='{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1.4, 0.2, 5.1, 3.5]}]}'
echo "$body" > "$out/request.json"
cat > "$out/post.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$body'
EOF
ours() { # name url model round
  "${gen_cpu[@]}" loadtests/modelgate-load --url "$2" --model "$3" --input "$out/request.json" \
    --concurrency "$conns" --duration "${secs}s" --warmup 5s --json "$out/$1-modelgate-load-$4.json" \
    > "$out/$1-modelgate-load-$4.txt" 2>&1
}
theirs() { # name url model round
  "${gen_cpu[@]}" wrk -t 2 -c "$conns" -d "${secs}s" --latency -s "$out/post.lua" "$2/v2/models/$3/infer" \
    > "$out/$1-wrk-$4.txt" 2>&1
}
measure() { # name url model
  # Unmeasured warm-up of the server's JIT, long enough for a JVM gateway in front of a JVM replica
  # on one shared core to reach its steady rate.
  "${gen_cpu[@]}" wrk -t 2 -c "$conns" -d 20s -s "$out/post.lua" "$2/v2/models/$3/infer" \
    > "$out/$1-warmup.txt" 2>&1
  # Alternate which generator goes first, so a server still speeding up favours neither.
  # Ours: 5 s of unmeasured lead-in warm its own fresh JVM (2 s was not enough for the JIT); wrk (C)
  # needs none, so its whole run counts.
  ours "$@" 1; theirs "$@" 1
  theirs "$@" 2; ours "$@" 2
}
measure gateway "http://127.0.0.1:$gw_port" remote-iris
measure direct "http://127.0.0.1:$port" iris
stop; trap - EXIT

python3 - "$out" "$conns" <<'PY' | tee "$out/summary.md"
import json, re, sys
out, conns = sys.argv[1], sys.argv[2]
def ms(text, unit):
    return float(text) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
print("| target | generator | round | throughput (req/s) | p50 (ms) | p99 (ms) | errors |")
print("| --- | --- | --- | --- | --- | --- | --- |")
verdicts = []
for name in ("gateway", "direct"):
    ours, theirs = [], []
    for r in (1, 2):
        j = json.load(open(f"{out}/{name}-modelgate-load-{r}.json"))
        errors = j["requests"]["intended"] - j["requests"]["ok"]
        print(f"| {name} | modelgate-load c={conns} | {r} | {j['throughput_rps']:.0f} | "
              f"{j['latency_ms']['p50']:.2f} | {j['latency_ms']['p99']:.2f} | {errors} |")
        ours.append(j["throughput_rps"])
        w = open(f"{out}/{name}-wrk-{r}.txt").read()
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", w).group(1))
        p50 = ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", w).groups())
        p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", w).groups())
        m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", w)
        s = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", w)
        errors = (int(m.group(1)) if m else 0) + (sum(map(int, s.groups())) if s else 0)
        print(f"| {name} | wrk -t2 -c{conns} | {r} | {rps:.0f} | {p50:.2f} | {p99:.2f} | {errors} |")
        theirs.append(rps)
    a, b = sum(ours) / len(ours), sum(theirs) / len(theirs)
    diff = 100 * (a - b) / b
    if name == "gateway":
        verdict = f"({'within' if abs(diff) <= 10 else 'OUTSIDE'} the 10% bound)"
    else:
        verdict = "(the target outruns a generator on one core: this shows each generator's ceiling)"
    verdicts.append(f"{name}: modelgate-load {a:.0f} req/s, wrk {b:.0f} req/s, difference {diff:+.1f}% {verdict}")
print()
for v in verdicts:
    print(v)
PY
