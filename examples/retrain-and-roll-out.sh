#!/usr/bin/env bash
# Train -> new version -> judged canary -> promoted, then a deliberately bad model rolled back by the
# judge on shadow agreement before any user sees it. Run it from the checkout against a running
#   ./modelgate quickstart
# (which follows examples/model-repository/iris: each new complete version directory is loaded,
# warmed up, added at 0% and rolled out: shadow 10s, 25% 10s, 50% 10s, judged after each).
#
#   examples/retrain-and-roll-out.sh            # GATEWAY=http://localhost:8080 ADMIN=http://localhost:8082
#
# It writes examples/model-repository/iris/N and N+1 (N = the newest version + 1; git ignores them).
# To start over: stop the quickstart, rm -r examples/model-repository/iris/{3..N+1} and
# "${TMPDIR:-/tmp}/modelgate-quickstart". Needs curl, python3 (JSON only) and Maven.
# Exit status 0 when the good version was promoted and the bad one rolled back unseen, 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gateway="${GATEWAY:-http://localhost:8080}"
admin="${ADMIN:-http://localhost:8082}"
repo="$root/examples/model-repository"
work="$(mktemp -d)"
trap 'kill "${traffic_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Twelve flowers, four of each species, in the models' column order (examples/README.md).
body='{"inputs":[{"name":"input","datatype":"FP32","shape":[12,4],"data":[
1.4,0.2,5.1,3.5, 1.3,0.2,4.7,3.2, 1.5,0.4,5.7,4.4, 1.6,0.2,4.8,3.1,
4.7,1.4,7.0,3.2, 4.0,1.3,5.5,2.3, 3.5,1.0,5.0,2.0, 4.4,1.4,6.7,3.1,
6.0,2.5,6.3,3.3, 5.6,1.8,6.3,2.9, 6.1,2.3,7.7,3.0, 5.1,1.9,5.8,2.7]}]}'

curl -sf "$gateway/v2/health/ready" >/dev/null || {
  echo "no ready gateway at $gateway: start ./modelgate quickstart first" >&2; exit 1; }
curl -sf "$admin/admin/services/iris/follow" >/dev/null || {
  echo "the gateway at $admin does not follow iris (expected: ./modelgate quickstart)" >&2; exit 1; }

# Users: a steady stream of requests; every answer's revision is written down.
(
  while true; do
    curl -s -o /dev/null -D - -X POST "$gateway/v2/models/iris/infer" \
      -H 'Content-Type: application/json' -d "$body" \
      | tr -d '\r' | sed -n 's/^x-modelgate-revision: //Ip'
  done
) >"$work/answered-by" &
traffic_pid=$!

rollout() {  # prints: candidate phase candidate-weight reason
  curl -sf "$admin/admin/services/iris/rollout" | python3 -c '
import json, sys
s = json.load(sys.stdin)["state"]
print(s["candidate"], s["phase"], s["traffic"]["candidate-weight"], s["reason"] or "")'
}

train() {  # train VERSION [--shuffle-labels]
  echo "== training iris/$1 ${2:-}"
  (cd "$root" && mvn -B -q -pl examples/models compile exec:java \
    -Dexec.args="--version $* examples/data/iris.csv examples/model-repository")
}

watch_rollout() {  # watch_rollout VERSION: waits until its rollout is over, prints each change
  local last="" now candidate phase
  for _ in $(seq 1 600); do
    now="$(rollout 2>/dev/null || true)"
    read -r candidate phase _ <<<"$now"
    if [[ "${candidate:-}" == "$1" && "$now" != "$last" ]]; then
      echo "   $(date +%T) candidate $now"
      last="$now"
    fi
    if [[ "${candidate:-}" == "$1" && "$phase" =~ ^(PROMOTED|ROLLED_BACK|PAUSED)$ ]]; then
      echo "$phase" >"$work/outcome"
      return
    fi
    sleep 1
  done
  echo TIMEOUT >"$work/outcome"
}

newest="$(ls "$repo/iris" | grep -E '^[0-9]+$' | sort -n | tail -n 1)"
good=$((newest + 1))
bad=$((newest + 2))

train "$good"
watch_rollout "$good"
good_outcome="$(cat "$work/outcome")"

train "$bad" --shuffle-labels
watch_rollout "$bad"
bad_outcome="$(cat "$work/outcome")"
kill "$traffic_pid" 2>/dev/null || true
wait "$traffic_pid" 2>/dev/null || true

seen_bad="$(grep -cx "$bad" "$work/answered-by" || true)"
echo
echo "user answers by revision:"
sort "$work/answered-by" | uniq -c
echo "iris/$good (retrained): $good_outcome"
echo "iris/$bad (shuffled labels): $bad_outcome, answers users got from it: $seen_bad"
curl -s "$admin/admin/services/iris/rollout" | python3 -c '
import json, sys
for e in json.load(sys.stdin)["state"]["log"]["entries"]:
    print("   ", e["at"][11:19], e["kind"].ljust(9), e["phase"].ljust(11), e["message"][:110])'
[[ "$good_outcome" == PROMOTED && "$bad_outcome" == ROLLED_BACK && "$seen_bad" == 0 ]]
