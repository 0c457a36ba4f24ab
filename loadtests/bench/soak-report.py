#!/usr/bin/env python3
"""Writes the soak's summary (markdown, stdout) from what loadtests/bench/soak.sh left in OUT, and
exits 1 when a criterion fails. Standard library only.

Usage: soak-report.py OUT MINUTES FRACTION BAD_RATE HEAP_BOUND_MB RSS_BOUND_MB FD_BOUND THREAD_BOUND
"""
import json
import os
import sys

out, minutes, fraction, bad_rate = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
heap_bound, rss_bound, fd_bound, thread_bound = (int(x) for x in sys.argv[5:9])


def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None


def read(name):
    path = os.path.join(out, name)
    return open(path).read().strip() if os.path.exists(path) else "?"


samples = []  # (seconds, process, rss_kb, heap_kb, fds, threads, leaks)
for line in open(os.path.join(out, "samples.txt")):
    f = line.split()
    samples.append((int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4]), int(f[5]), int(f[6])))

mib = lambda kb: kb / 1024
print(f"# Soak: {minutes} min at {fraction:.0%} of capacity\n")
print(f"Commit {read('commit.txt')} ({read('dirty-files.txt')} files changed under gateway/ and runtimes/), "
      f"`loadtests/bench/soak.sh {minutes} {fraction}`; JVMs with "
      "`-Dio.netty.leakDetection.level=paranoid` and a fixed, pre-touched heap.\n")

print("| path | capacity (closed loop c=16, both paths at once, req/s) | soak rate (req/s) | intended | ok | errors | p50 (ms) | p99 (ms) | max (ms) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
good_errors = 0
good_missing = False
for path in ("local", "remote"):
    cap, soak = load(f"capacity-{path}.json"), load(f"soak-{path}.json")
    if soak is None:
        good_missing = True
        print(f"| {path} | {cap['throughput_rps'] if cap else '?'} | (no report) | | | | | | |")
        continue
    r, lat = soak["requests"], soak["latency_ms"]
    errors = r["intended"] - r["ok"]
    good_errors += errors
    by = ", ".join(f"{k}: {v}" for k, v in soak["errors"].items()) or "none"
    print(f"| {path} | {cap['throughput_rps']:.0f} | {soak['offered_rps']:.0f} | {r['intended']} | {r['ok']} | "
          f"{errors} ({by}) | {lat['p50']:.2f} | {lat['p99']:.2f} | {lat['max']:.2f} |")

minutes_seen = {}
for path in ("local", "remote"):
    for s in (load(f"soak-{path}.json") or {}).get("timeline", []):
        row = minutes_seen.setdefault(int(s["second"]) // 60, {})
        done, errs = row.get(path, (0, 0))
        row[path] = (done + s["count"], errs + s["errors"])
if minutes_seen:
    print("\nGood requests by minute of the soak (requests / errors by intended send time, from modelgate-load's timeline):\n")
    print("| minute | local | remote |")
    print("| --- | --- | --- |")
    for m in sorted(minutes_seen):
        cells = [minutes_seen[m].get(p, (0, 0)) for p in ("local", "remote")]
        print(f"| {m + 1} | " + " | ".join(f"{c[0]} / {c[1]}" for c in cells) + " |")

bad = load("bad.json") or {}
print(f"\nBad requests, {bad_rate} req/s on both paths (kind and path: answers by class; `none` = the "
      "connection ended without an answer, expected only for the kinds the client cuts off):\n")
print("| kind | path | expects an answer | sent | 2xx | 4xx | 5xx | other | none | client error |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
bad_wrong = 0
for key in sorted(bad):
    c = bad[key]
    kind, path = key.split(" ")
    if c["expects_answer"]:
        wrong = c["sent"] - c["4xx"]
    else:
        wrong = c["2xx"] + c["5xx"] + c["other"] + c["client_error"]
    bad_wrong += wrong
    print(f"| {kind} | {path} | {'yes' if c['expects_answer'] else 'no (cut off)'} | {c['sent']} | {c['2xx']} | "
          f"{c['4xx']} | {c['5xx']} | {c['other']} | {c['none']} | {c['client_error']} |")

print("\nSamples (heap after `jcmd GC.run`; LEAK = `LEAK:` lines in the JVM's log so far):\n")
print("| t (s) | JVM | RSS (MiB) | heap after GC (MiB) | open fds | threads | LEAK |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for t, proc, rss, heap, fds, threads, leaks in samples:
    print(f"| {t} | {proc} | {mib(rss):.1f} | {mib(heap):.1f} | {fds} | {threads} | {leaks} |")

verdicts = []


def verdict(ok, text):
    verdicts.append(ok)
    print(f"- **{'PASS' if ok else 'FAIL'}** {text}")


print("\nVerdicts:\n")
verdict(not good_missing and good_errors == 0,
        f"good requests: zero errors (found {good_errors}{', a report is missing' if good_missing else ''})")
verdict(bool(bad) and bad_wrong == 0,
        f"bad requests: every answered one 4xx, the cut-off ones never answered 2xx/5xx "
        f"(found {bad_wrong} otherwise{'' if bad else '; no bad-request counts'})")
leaks = max((s[6] for s in samples), default=0)
verdict(leaks == 0, f"no Netty LEAK report in either JVM's log (found {leaks})")
for proc in ("serve", "runtime"):
    mine = [s for s in samples if s[1] == proc]
    warm = [s for s in mine if s[0] >= 60]
    first, last = (warm[0] if len(warm) > 1 else mine[0]), mine[-1]
    since = f"from t={first[0]} s to t={last[0]} s"
    verdict(last[3] - first[3] <= heap_bound * 1024,
            f"{proc}: heap after GC grows at most {heap_bound} MiB {since} ({mib(last[3] - first[3]):+.1f} MiB)")
    verdict(last[2] - first[2] <= rss_bound * 1024,
            f"{proc}: RSS grows at most {rss_bound} MiB {since} ({mib(last[2] - first[2]):+.1f} MiB)")
    verdict(last[4] - first[4] <= fd_bound,
            f"{proc}: open file descriptors grow at most {fd_bound} {since} ({last[4] - first[4]:+d})")
    verdict(last[5] - first[5] <= thread_bound,
            f"{proc}: threads grow at most {thread_bound} {since} ({last[5] - first[5]:+d})")
if int(float(minutes)) < 2:
    print("\n(A run under 2 minutes has no warm sample before its end: growth is measured from t=0.)")
sys.exit(0 if all(verdicts) else 1)
