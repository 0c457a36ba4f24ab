"""Infers through Triton's system shared memory as tritonclient's simple_http_shm_client.py does.

Creates the regions with Python's multiprocessing.shared_memory (a POSIX shm_open object in
/dev/shm), registers them over HTTP, sends the input by region and asks for the output in a
region, then compares the output bytes with the plain JSON answer. Run by SharedMemoryPythonIT
with Debian's /usr/bin/python3 (python3-requests).

Usage: shared_memory_client.py HTTP_PORT MODEL
"""
import struct
import sys
from multiprocessing import shared_memory

import requests

ROWS = [1.4, 0.2, 5.1, 3.5, 6.0, 2.5, 6.3, 3.3]


def check(condition, message):
    if not condition:
        print("FAILED " + message)
        sys.exit(1)
    print("ok " + message)


def main():
    port, model = sys.argv[1], sys.argv[2]
    base = "http://127.0.0.1:%s/v2" % port
    infer = base + "/models/%s/versions/1/infer" % model
    plain = requests.post(infer, json={"inputs": [
        {"name": "input", "shape": [2, 4], "datatype": "FP32", "data": ROWS}]})
    check(plain.status_code == 200, "plain JSON answer")
    expected = plain.json()["outputs"][0]["data"]

    input_bytes = struct.pack("<8f", *ROWS)
    shm_in = shared_memory.SharedMemory(create=True, size=len(input_bytes))
    shm_out = shared_memory.SharedMemory(create=True, size=24)
    try:
        shm_in.buf[:len(input_bytes)] = input_bytes
        for name, shm, size in (("input_data", shm_in, 32), ("output_data", shm_out, 24)):
            registered = requests.post(base + "/systemsharedmemory/region/%s/register" % name,
                                       json={"key": "/" + shm.name, "offset": 0, "byte_size": size})
            check(registered.status_code == 200, "register " + name + " " + registered.text)
        status = requests.get(base + "/systemsharedmemory/status").json()
        check(sorted(r["name"] for r in status) == ["input_data", "output_data"], "status lists both")

        answer = requests.post(infer, json={
            "inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32", "parameters": {
                "shared_memory_region": "input_data", "shared_memory_byte_size": 32}}],
            "outputs": [{"name": "output", "parameters": {
                "shared_memory_region": "output_data", "shared_memory_byte_size": 24}}]})
        check(answer.status_code == 200, "infer through shared memory " + answer.text)
        output = answer.json()["outputs"][0]
        check("data" not in output and output["shape"] == [2, 3], "answer has metadata, no data")
        got = list(struct.unpack("<6f", bytes(shm_out.buf[:24])))
        check(all(abs(a - b) < 1e-6 for a, b in zip(got, expected)),
              "output region equals the JSON answer %s" % got)

        past = requests.post(infer, json={
            "inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32", "parameters": {
                "shared_memory_region": "input_data", "shared_memory_byte_size": 32,
                "shared_memory_offset": 8}}]})
        check(past.status_code == 400, "offset past the region refused")
        unregistered = requests.post(base + "/systemsharedmemory/unregister")
        check(unregistered.status_code == 200, "unregister all")
        again = requests.post(infer, json={
            "inputs": [{"name": "input", "shape": [2, 4], "datatype": "FP32", "parameters": {
                "shared_memory_region": "input_data", "shared_memory_byte_size": 32}}]})
        check(again.status_code == 400, "unregistered region refused")
    finally:
        for shm in (shm_in, shm_out):
            shm.close()
            shm.unlink()
    print("all checks passed")


if __name__ == "__main__":
    main()
