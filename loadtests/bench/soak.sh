#!/usr/bin/env bash
# Soak benchmark (issue 16), one command from the repository root:
#   loadtests/bench/soak.sh [MINUTES] [FRACTION]        (default 10 and 0.8)
# Two paths through one `modelgate serve`:
#   local   the iris model of examples/model-repository, in process;
#   remote  a service `iris-remote` whose one revision relays to a `modelgate runtime` (same repository);
# both JVMs run with Netty's leak detection at paranoid level (every buffer tracked) and a fixed
# heap (-Xms = -Xmx, pre-touched), so RSS growth is native and direct memory, not heap sizing.
# 1. warm-up (JIT), then capacity: closed loop on both paths at once for CAP_SECONDS (each path's
#    throughput while the other one also runs, so FRACTION of each is FRACTION of the machine);
# 2. soak: open loop at FRACTION of each path's capacity for MINUTES with good requests
#    (loadtests/modelgate-load), and beside it soak-bad.py at BAD_RATE req/s with bad ones
#    (malformed JSON, wrong shape, unknown model, oversize body, bad binary header, truncated body,
#    slow head) on both paths;
# 3. at the start, every minute and at the end, per JVM: RSS (/proc/<pid>/status), heap used after
#    a forced GC (jcmd GC.run, then GC.heap_info), open file descriptors, threads, and `LEAK:`
#    lines in its log.
# Verdicts (summary.md, exit 1 when one fails): good requests no error at all; bad requests all
# answered 4xx (cut-off ones no answer, never a 5xx); no LEAK report; between the sample at
# start+1 min (warm) and the end, heap after GC grows at most HEAP_BOUND_MB and RSS at most
# RSS_BOUND_MB per JVM, and file descriptors at most FD_BOUND, threads at most THREAD_BOUND.
# Env: SOAK_HEAP (default 512m), BAD_RATE (20), CAP_SECONDS (20), HEAP_BOUND_MB (16),
#      RSS_BOUND_MB (64), FD_BOUND (32), THREAD_BOUND (8), SOAK_PORT_BASE (18640; uses 4 ports).
# Everything listens on 127.0.0.1 and is stopped on exit. Results: target/bench/soak/ (summary.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
minutes="${1:-10}"
fraction="${2:-0.8}"
soak_secs="$(awk "BEGIN { printf \"%d\", $minutes * 60 }")"
out="$root/target/bench/soak"
rm -rf "$out" && mkdir -p "$out/run"
base="${SOAK_PORT_BASE:-18640}"
rt=$base; mg=$((base + 1)); mg_admin=$((base + 2))
max_body=65536

# Build once, then run a private copy of the server jar (as proxy-overhead.sh does): a rebuild
# during the run must not swap classes under running JVMs.
./modelgate --version >&2
loadtests/modelgate-load --help >/dev/null 2>&1 || true
jar="$(find gateway/server/target -maxdepth 1 -name 'modelgate-server-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | head -n 1)"
mkdir -p "$out/modelgate" && cp "$jar" "$out/modelgate/" && cp -al gateway/server/target/lib "$out/modelgate/lib"
jar="$out/modelgate/$(basename "$jar")"
git rev-parse --short HEAD > "$out/commit.txt"; git status --porcelain -- gateway runtimes | wc -l > "$out/dirty-files.txt"

heap="${SOAK_HEAP:-512m}"
jvm=(-Dio.netty.leakDetection.level=paranoid "-Xms$heap" "-Xmx$heap" -XX:+AlwaysPreTouch)
export MODELGATE_JAVA_OPTS="${jvm[*]} ${MODELGATE_JAVA_OPTS:-}"

pids=()
stop_all() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
}
trap stop_all EXIT

wait_ready() { # URL PID
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "soak: process $2 behind $1 exited (see $out/*.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "soak: $1 never answered" >&2; return 1
}

cat > "$out/run/runtime.yaml" <<EOF
access-log: off
EOF
# shellcheck disable=SC2086
java $MODELGATE_JAVA_OPTS -jar "$jar" runtime --model-repository examples/model-repository \
  --config "$out/run/runtime.yaml" --http-port $rt --grpc-port 0 --drain-timeout 1 > "$out/runtime.log" 2>&1 &
pids+=($!); pid_rt=$!

cat > "$out/run/modelgate.yaml" <<EOF
access-log: off
max-request-size: $max_body          # the oversize bad requests pass it
services:
  - name: iris-remote
    revisions:
      - {name: r1, model: iris, version: 1, endpoints: ["http://127.0.0.1:$rt"]}
    traffic: {weights: {r1: 100}}
EOF
# shellcheck disable=SC2086
java $MODELGATE_JAVA_OPTS -jar "$jar" serve --model-repository examples/model-repository \
  --config "$out/run/modelgate.yaml" --http-port $mg --grpc-port 0 --admin-port $mg_admin > "$out/modelgate.log" 2>&1 &
pids+=($!); pid_mg=$!

wait_ready "http://127.0.0.1:$rt/v2/models/iris/ready" "$pid_rt"
wait_ready "http://127.0.0.1:$mg/v2/models/iris/ready" "$pid_mg"
wait_ready "http://127.0.0.1:$mg/v2/models/iris-remote/ready" "$pid_mg"
echo "serve $pid_mg runtime $pid_rt" > "$out/pids.txt"

body='{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1.4, 0.2, 5.1, 3.5]}]}'
echo "$body" > "$out/run/request.json"
load() { # PATH-MODEL NAME ARGS...
  local model=$1 name=$2; shift 2
  loadtests/modelgate-load --url "http://127.0.0.1:$mg" --model "$model" --input "$out/run/request.json" \
    --json "$out/$name.json" "$@" > "$out/$name.txt" 2>&1
}
both() { # NAME-PREFIX ARGS... (both paths at once)
  local name=$1; shift
  load iris "$name-local" "$@" & local a=$!
  load iris-remote "$name-remote" "$@" & local b=$!
  wait $a && wait $b
}

echo "soak: warm-up and capacity (closed loop, both paths at once)" >&2
both warmup --concurrency 16 --duration 10s
both capacity --concurrency 16 --duration "${CAP_SECONDS:-20}s" --warmup 2s
rate() { python3 -c "import json,sys; print(max(1, round($fraction * json.load(open(sys.argv[1]))['throughput_rps'])))" "$1"; }
rate_local="$(rate "$out/capacity-local.json")"; rate_remote="$(rate "$out/capacity-remote.json")"
echo "soak: $minutes min at $rate_local req/s (local) and $rate_remote req/s (remote), bad ${BAD_RATE:-20} req/s" >&2

# One sample: "seconds process rss_kb heap_after_gc_kb fds threads leaks" per JVM.
sample() { # SECONDS
  local name pid log rss heapkb fds threads leaks
  for name in serve runtime; do
    if [[ $name == serve ]]; then pid=$pid_mg; log="$out/modelgate.log"; else pid=$pid_rt; log="$out/runtime.log"; fi
    jcmd "$pid" GC.run > /dev/null 2>&1 || true
    heapkb="$( (jcmd "$pid" GC.heap_info 2>/dev/null || true) | grep -oE 'used [0-9]+K' | head -n 1 | grep -oE '[0-9]+' || echo -1)"
    rss="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")"
    threads="$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")"
    fds="$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
    leaks="$(grep -c 'LEAK:' "$log" || true)"
    echo "$1 $name $rss $heapkb $fds $threads $leaks" >> "$out/samples.txt"
  done
}

start=$SECONDS
load iris soak-local --rate "$rate_local" --duration "${soak_secs}s" --timeout 10s & good_a=$!
load iris-remote soak-remote --rate "$rate_remote" --duration "${soak_secs}s" --timeout 10s & good_b=$!
python3 loadtests/bench/soak-bad.py "$out/bad.json" "$soak_secs" "${BAD_RATE:-20}" 127.0.0.1 "$mg" \
  iris,iris-remote "$max_body" > "$out/bad.log" 2>&1 & bad=$!
sample 0
next=60
while kill -0 $good_a 2>/dev/null || kill -0 $good_b 2>/dev/null || kill -0 $bad 2>/dev/null; do
  if (( SECONDS - start >= next )); then
    sample $((SECONDS - start)); next=$((next + 60))
  fi
  sleep 1  # polling the clock for the next sample, not synchronising
done
status=0
wait $good_a || status=1; wait $good_b || status=1; wait $bad || status=1
sample $((SECONDS - start))
[[ $status == 0 ]] || echo "soak: a generator failed (see $out/*.txt, $out/bad.log)" >&2

set +e
python3 loadtests/bench/soak-report.py "$out" "$minutes" "$fraction" "${BAD_RATE:-20}" \
  "${HEAP_BOUND_MB:-16}" "${RSS_BOUND_MB:-64}" "${FD_BOUND:-32}" "${THREAD_BOUND:-8}" | tee "$out/summary.md"
verdict="${PIPESTATUS[0]}"
set -e
stop_all; trap - EXIT
exit $(( status || verdict ))
