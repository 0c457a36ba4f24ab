#!/usr/bin/env bash
# Proxy overhead benchmark (issue 8), one command from the repository root:
#   loadtests/bench/proxy-overhead.sh [SECONDS_PER_CASE]
# One backend, two `modelgate runtime` servers serving examples/model-repository (iris), reached
#   direct    the first runtime server itself (no proxy),
#   modelgate `modelgate serve` with a service whose revisions v1/v2 are those servers as remote
#             endpoints, weights 90/10, split by `routing-key: {header: x-user-id}`,
#   nginx     an upstream of both servers, weight 9/1, keepalive to the upstream,
#   haproxy   a backend of both servers, weight 90/10, http-reuse always,
#   floor     loadtests' BareRelay: the least a Netty relay does (parse, pick 90/10, write on a
#             pooled connection of the same event loop, copy the answer back), on the gateway's
#             class path and Netty: what the platform costs before any Modelgate feature,
# each at open-loop 500 and 2000 req/s and closed loop at concurrency 64 (saturation), driven by
# loadtests/modelgate-load. Every generator run sends `--key-header x-user-id` (a distinct value per
# request) to every target: Modelgate's split then needs nothing from the body, so it takes the
# undecoded relay (docs/architecture.md, "What the undecoded relay skips"); without the header its
# split would look for the body's `id` and so decode every request. nginx, HAProxy and the runtime
# servers ignore the header, so all four targets see the same requests. Proxy and backend CPU
# (utime+stime of every process of each, from /proc/<pid>/stat) is sampled every 100 ms and cut to
# the generator's measured window.
# Everything listens on 127.0.0.1 and is stopped on exit. About 7 minutes at 10 s per case.
# Raw results: target/bench/proxy-overhead/; the table is printed at the end (and summary.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
secs="${1:-10}"
out="$root/target/bench/proxy-overhead"
rm -rf "$out" && mkdir -p "$out/run"

if ! command -v nginx >/dev/null || ! command -v haproxy >/dev/null; then
  echo "proxy-overhead: installing nginx and haproxy (Debian packages)" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx haproxy >&2
fi

# Build once, then run a private copy of the server jar: a rebuild of gateway/server during the run
# (./modelgate rebuilds when sources are newer) must not swap classes under running JVMs.
./modelgate --version >&2
loadtests/modelgate-load --help >/dev/null 2>&1 || true
jar="$(find gateway/server/target -maxdepth 1 -name 'modelgate-server-*.jar' ! -name '*-sources.jar' ! -name '*-tests.jar' | head -n 1)"
mkdir -p "$out/modelgate" && cp "$jar" "$out/modelgate/" && cp -al gateway/server/target/lib "$out/modelgate/lib"
jar="$out/modelgate/$(basename "$jar")"
git rev-parse --short HEAD > "$out/commit.txt"; git status --porcelain -- gateway runtimes | wc -l > "$out/dirty-files.txt"

a=18501; b=18502; mg=18510; mg_admin=18511; ngx=18520; hap=18530; floor=18540
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
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "proxy-overhead: process $2 behind $1 exited (see $out/*.log)" >&2; return 1; }
    sleep 0.5
  done
  echo "proxy-overhead: $1 never answered" >&2; return 1
}

# --- the backend: two runtime servers (v1 and v2 of the canary) ---
echo "access-log: off" > "$out/runtime.yaml"   # no per-request log line on any hop
for port in $a $b; do
  java ${MODELGATE_JAVA_OPTS:-} -jar "$jar" runtime --model-repository examples/model-repository \
    --config "$out/runtime.yaml" --http-port $port --grpc-port 0 --drain-timeout 1 > "$out/runtime-$port.log" 2>&1 &
  pids+=($!); eval "pid_$port=$!"
done

# --- Modelgate: a service of two remote revisions. The model repository is required; its local
# iris copy is loaded but takes no traffic, the configured service of the same name wins. ---
cat > "$out/run/modelgate.yaml" <<EOF
access-log: off                      # as for nginx and HAProxy below
services:
  - name: iris
    revisions:
      - {name: v1, model: iris, version: 1, endpoints: ["http://127.0.0.1:$a"]}
      - {name: v2, model: iris, version: 2, endpoints: ["http://127.0.0.1:$b"]}
    traffic:
      weights: {v1: 90, v2: 10}
      routing-key: {header: x-user-id}   # with --key-header below: routed from headers, relayed undecoded
EOF
java ${MODELGATE_JAVA_OPTS:-} "-Xlog:gc:file=$out/modelgate-gc.log" -jar "$jar" serve --model-repository examples/model-repository \
  --config "$out/run/modelgate.yaml" --http-port $mg --grpc-port 0 --admin-port $mg_admin > "$out/modelgate.log" 2>&1 &
pids+=($!); pid_mg=$!

# --- nginx: foreground master and one worker per core, keep-alive pool to the upstream ---
mkdir -p "$out/run/nginx"
cat > "$out/run/nginx/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $out/run/nginx/nginx.pid;
error_log $out/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $out/run/nginx/body;
  proxy_temp_path $out/run/nginx/proxy;
  fastcgi_temp_path $out/run/nginx/fastcgi;
  uwsgi_temp_path $out/run/nginx/uwsgi;
  scgi_temp_path $out/run/nginx/scgi;
  upstream iris {
    server 127.0.0.1:$a weight=9;
    server 127.0.0.1:$b weight=1;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$ngx;
    keepalive_requests 100000;
    location / {
      proxy_pass http://iris;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      add_header x-upstream \$upstream_addr always;
    }
  }
}
EOF
nginx -p "$out/run/nginx" -e "$out/nginx-error.log" -c "$out/run/nginx/nginx.conf" &
pids+=($!); pid_ngx=$!

# --- HAProxy: foreground, one thread per core, connection reuse to the servers ---
cat > "$out/run/haproxy.cfg" <<EOF
global
  maxconn 4096
  nbthread $(nproc)
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  option http-keep-alive
  http-reuse always
frontend fe
  bind 127.0.0.1:$hap
  default_backend iris
backend iris
  balance roundrobin
  http-response set-header x-upstream %[srv_name]
  server v1 127.0.0.1:$a weight 90
  server v2 127.0.0.1:$b weight 10
EOF
haproxy -db -f "$out/run/haproxy.cfg" > "$out/haproxy.log" 2>&1 &
pids+=($!); pid_hap=$!

# --- the floor: a bare Netty relay on the gateway's class path (same Netty, epoll where available) ---
cp -r loadtests/target/classes "$out/floor-classes"
java ${MODELGATE_JAVA_OPTS:-} -cp "$out/floor-classes:$jar:$out/modelgate/lib/*" dev.modelgate.loadtests.floor.BareRelay \
  $floor "127.0.0.1:$a=9" "127.0.0.1:$b=1" > "$out/floor.log" 2>&1 &
pids+=($!); pid_floor=$!

wait_ready "http://127.0.0.1:$a/v2/models/iris/ready" "$pid_18501"
wait_ready "http://127.0.0.1:$b/v2/models/iris/ready" "$pid_18502"
wait_ready "http://127.0.0.1:$mg/v2/models/iris/ready" "$pid_mg"
wait_ready "http://127.0.0.1:$ngx/v2/models/iris/ready" "$pid_ngx"
wait_ready "http://127.0.0.1:$hap/v2/models/iris/ready" "$pid_hap"
wait_ready "http://127.0.0.1:$floor/v2/models/iris/ready" "$pid_floor"
ngx_pids="$pid_ngx"
for _ in $(seq 1 20); do
  workers="$(ps -o pid= --ppid "$pid_ngx" | tr -s ' \n' ',' | sed 's/^,//; s/,$//')"
  [[ -n "$workers" ]] && break; sleep 0.2
done
ngx_pids="$pid_ngx,$workers"

# Samples "epoch_seconds proxy_ticks backend_ticks" every 100 ms until killed.
cat > "$out/run/sampler.py" <<'PY'
import sys, time
out, groups = sys.argv[1], [g.split(",") for g in sys.argv[2:]]
def ticks(pids):
    total = 0
    for pid in pids:
        if not pid:
            continue
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total
with open(out, "w", buffering=1) as f:
    while True:
        f.write(f"{time.time():.3f} " + " ".join(str(ticks(g)) for g in groups) + "\n")
        time.sleep(0.1)
PY

backend="$pid_18501,$pid_18502"
declare -A url=([direct]="http://127.0.0.1:$a" [modelgate]="http://127.0.0.1:$mg"
  [nginx]="http://127.0.0.1:$ngx" [haproxy]="http://127.0.0.1:$hap" [floor]="http://127.0.0.1:$floor")
declare -A proxy=([direct]="" [modelgate]="$pid_mg" [nginx]="$ngx_pids" [haproxy]="$pid_hap" [floor]="$pid_floor")
declare -A split=([direct]="x-modelgate-revision" [modelgate]="x-modelgate-revision"
  [nginx]="x-upstream" [haproxy]="x-upstream" [floor]="x-upstream")
body='{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1.4, 0.2, 5.1, 3.5]}]}'
echo "$body" > "$out/run/request.json"

run_case() { # TARGET CASE GENERATOR-ARGS...
  local target=$1 name=$2; shift 2
  python3 "$out/run/sampler.py" "$out/$target-$name.cpu" "${proxy[$target]}" "$backend" &
  local sampler=$!
  loadtests/modelgate-load --url "${url[$target]}" --model iris --input "$out/run/request.json" \
    --key-header x-user-id --split-header "${split[$target]}" --duration "${secs}s" --warmup 2s \
    --json "$out/$target-$name.json" "$@" > "$out/$target-$name.txt" 2>&1
  echo "$EPOCHREALTIME" > "$out/$target-$name.end"
  sleep 0.3; kill "$sampler"; wait "$sampler" 2>/dev/null || true
}

for target in direct modelgate nginx haproxy floor; do
  echo "proxy-overhead: $target" >&2
  # Unmeasured warm-up of the proxy (the JVM's JIT, connection pools): 4 s left Modelgate's JIT
  # still compiling through the 500/s case, and so did 10 s (0.5-0.9 ms of proxy CPU per request at
  # 500/s against 0.13 at 2,000/s); on 2 cores C2 settles after about 40 s of load (jstat -compiler,
  # docs/benchmarks.md). WARMUP_SECONDS, default 40, for every target alike.
  loadtests/modelgate-load --url "${url[$target]}" --model iris --input "$out/run/request.json" \
    --key-header x-user-id --concurrency 32 --duration "${WARMUP_SECONDS:-40}s" > "$out/$target-warmup.txt" 2>&1
  run_case "$target" r500 --rate 500
  run_case "$target" r2000 --rate 2000
  run_case "$target" c64 --concurrency 64
done
stop_all; trap - EXIT

python3 - "$out" "$(getconf CLK_TCK)" <<'PY' | tee "$out/summary.md"
import json, sys
out, hz = sys.argv[1], int(sys.argv[2])
targets, cases = ["direct", "modelgate", "nginx", "haproxy", "floor"], ["r500", "r2000", "c64"]
label = {"r500": "open 500/s", "r2000": "open 2000/s", "c64": "closed c=64"}

def cpu(target, case, elapsed):
    """CPU seconds of proxy and backend over the measured window (end - elapsed, end)."""
    end = float(open(f"{out}/{target}-{case}.end").read())
    rows = [list(map(float, l.split())) for l in open(f"{out}/{target}-{case}.cpu") if l.strip()]
    def at(t, col):
        prev = rows[0]
        for r in rows:
            if r[0] >= t:
                if r[0] == prev[0]:
                    return r[col]
                return prev[col] + (r[col] - prev[col]) * (t - prev[0]) / (r[0] - prev[0])
            prev = r
        return rows[-1][col]
    return [(at(end, c) - at(end - elapsed, c)) / hz for c in (1, 2)]

res = {}
for t in targets:
    for c in cases:
        r = json.load(open(f"{out}/{t}-{c}.json"))
        p, b = cpu(t, c, r["elapsed_s"])
        n = max(1, r["requests"]["answered"])
        counts = r["split"]["counts"]
        total = sum(counts.values()) or 1
        top = sorted(counts.items(), key=lambda kv: -kv[1])
        res[(t, c)] = dict(tput=r["throughput_rps"], p50=r["latency_ms"]["p50"], p99=r["latency_ms"]["p99"],
                           errors=r["requests"]["intended"] - r["requests"]["ok"],
                           late=r["late_sends"]["share"], proxy=1000 * p / n, backend=1000 * b / n,
                           split=" / ".join(f"{100 * v / total:.0f}" for _, v in top))

def ratio(a, b):
    return f"{a / b:.2f}x" if b else "-"

print("| case | target | throughput (req/s) | p50 (ms) | p99 (ms) | errors | late sends | proxy CPU s / 1k req | backend CPU s / 1k req | split % |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for c in cases:
    for t in targets:
        x = res[(t, c)]
        proxy = "-" if t == "direct" else f"{x['proxy']:.3f}"
        print(f"| {label[c]} | {t} | {x['tput']:.0f} | {x['p50']:.2f} | {x['p99']:.2f} | {x['errors']} | "
              f"{100 * x['late']:.1f}% | {proxy} | {x['backend']:.3f} | {x['split']} |")
print()
print("| case | target | throughput / nginx | p50 / nginx | p99 / nginx | proxy CPU per request / nginx |")
print("| --- | --- | --- | --- | --- | --- |")
for c in cases:
    n = res[("nginx", c)]
    for t in ["direct", "modelgate", "haproxy", "floor"]:
        x = res[(t, c)]
        cpu_ratio = "-" if t == "direct" else ratio(x["proxy"], n["proxy"])
        print(f"| {label[c]} | {t} | {ratio(x['tput'], n['tput'])} | {ratio(x['p50'], n['p50'])} | "
              f"{ratio(x['p99'], n['p99'])} | {cpu_ratio} |")
PY
