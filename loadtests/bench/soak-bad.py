#!/usr/bin/env python3
"""Bad clients for loadtests/bench/soak.sh: a low fixed rate of hostile or broken requests against
every path, beside modelgate-load's good traffic, each on its own connection.

Why a separate generator: modelgate-load measures good requests (latency, open loop) and sends
well-formed bodies only; these requests are about what the server does with the rest (answers
4xx, never a 5xx, and frees what they held), so they only need counting, at a rate too low to
matter for the capacity figures. Standard library only (any python3).

Each kind either expects an answer (its class is counted: 2xx/4xx/5xx, or "none" when the
connection ended without one) or is cut off by the client on purpose (truncated body, slow
head): those expect no answer and count "none"; anything the server did answer is counted too.
Counts (cumulative) are rewritten to OUT every 5 s and at the end.

Usage: soak-bad.py OUT SECONDS RATE HOST PORT MODEL[,MODEL...] MAX_BODY_BYTES
"""
import concurrent.futures
import json
import os
import socket
import sys
import threading
import time

out, seconds, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
host, port, models, max_body = sys.argv[4], int(sys.argv[5]), sys.argv[6].split(","), int(sys.argv[7])

GOOD = b'{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [5.1, 3.5, 1.4, 0.2]}]}'


def head(path, length, extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{extra}Connection: close\r\n\r\n").encode()


def infer(model):
    return f"/v2/models/{model}/infer"


def answer(sock):
    """The status of the answer, or None when the connection ends without one."""
    sock.settimeout(15)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    parts = data.split(b" ", 2)
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None


def send_whole(model, body, extra=""):
    with socket.create_connection((host, port), timeout=15) as s:
        try:
            s.sendall(head(infer(model), len(body), extra) + body)
        except OSError:
            pass  # the server may answer (413) and close before it has read everything
        return answer(s)


def malformed(model):
    return send_whole(model, b'{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, ')


def wrong_shape(model):
    return send_whole(model, b'{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 3], '
                             b'"data": [5.1, 3.5, 1.4]}]}')


def unknown_model(_model):
    return send_whole("no-such-model", GOOD)


def oversize(model):
    return send_whole(model, b'{"inputs": [], "id": "' + b"x" * max_body + b'"}')


def bad_binary_header(model):
    return send_whole(model, GOOD, f"Inference-Header-Content-Length: {len(GOOD) + 1000}\r\n")


def truncated(model):
    with socket.create_connection((host, port), timeout=15) as s:
        s.sendall(head(infer(model), len(GOOD)) + GOOD[:20])
        s.shutdown(socket.SHUT_WR)  # the body ends 20 bytes in: the server must drop it quietly
        return answer(s)


def slow_head(model):
    with socket.create_connection((host, port), timeout=15) as s:
        for byte in head(infer(model), len(GOOD))[:30]:
            s.sendall(bytes([byte]))
            time.sleep(0.05)  # a client trickling its head, then giving up
        return None


KINDS = [("malformed_json", malformed, True), ("wrong_shape", wrong_shape, True),
         ("unknown_model", unknown_model, True), ("oversize_body", oversize, True),
         ("bad_binary_header", bad_binary_header, True), ("truncated_body", truncated, False),
         ("slow_head", slow_head, False)]
counts = {f"{kind} {model}": {"expects_answer": expects, "sent": 0, "2xx": 0, "4xx": 0, "5xx": 0,
                              "other": 0, "none": 0, "client_error": 0}
          for kind, _, expects in KINDS for model in models}
lock = threading.Lock()


def one(kind, run, model):
    key = f"{kind} {model}"
    try:
        status = run(model)
        cls = "none" if status is None else {2: "2xx", 4: "4xx", 5: "5xx"}.get(status // 100, "other")
    except OSError:
        cls = "client_error"  # could not connect or send: counted, as the server may be at fault
    with lock:
        counts[key]["sent"] += 1
        counts[key][cls] += 1


def dump():
    with lock:
        text = json.dumps(counts, indent=1, sort_keys=True)
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.replace(out + ".tmp", out)


start = time.monotonic()
n = 0
last_dump = start
with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
    while True:
        due = start + n / rate
        now = time.monotonic()
        if due - start >= seconds:
            break
        if due > now:
            time.sleep(due - now)  # pacing the arrivals, not synchronising anything
        kind, run, _ = KINDS[n % len(KINDS)]
        model = models[(n // len(KINDS)) % len(models)]
        pool.submit(one, kind, run, model)
        n += 1
        if time.monotonic() - last_dump >= 5:
            dump()
            last_dump = time.monotonic()
dump()
