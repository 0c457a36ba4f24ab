"""Triton's ModelStreamInfer as tritonclient.grpc's start_stream/async_stream_infer/stop_stream drive it.

Run by TritonStreamClientIT with /usr/bin/python3 (Debian's python3-grpcio, python3-grpc-tools): compiles the
server's proto with grpc_tools, then streams the way tritonclient's _InferStream does (a queue-fed request
iterator, a thread reading answers and handing each to a callback, a None in the queue for the half-close) and
the way simple_grpc_sequence_stream_infer_client.py uses it, for a plain model: requests with ids, answers
matched by id, one bad request answered with error_message while the others succeed. Prints one line per
check; exits non-zero on the first mismatch.

usage: stream_infer_client.py PROTO_DIR GRPC_PORT MODEL
"""
import importlib
import queue
import struct
import sys
import tempfile
import threading

import grpc
from grpc_tools import protoc

# The fake runtime's affine fixture: y = x.W + b (runtimes/testkit AffineFixture).
WEIGHTS = [[0.5, -1.0], [0.25, 2.0], [-1.5, 0.125]]
BIAS = [0.75, -0.5]
REQUESTS = 20
BAD = 7


def stubs(proto_dir, out):
    code = protoc.main(["protoc", "-I" + proto_dir, "--python_out=" + out, "--grpc_python_out=" + out,
                        proto_dir + "/grpc_predict_v2.proto"])
    if code != 0:
        raise SystemExit("protoc failed: %d" % code)
    sys.path.insert(0, out)
    return importlib.import_module("grpc_predict_v2_pb2"), importlib.import_module("grpc_predict_v2_pb2_grpc")


def check(name, actual, expected):
    if actual != expected:
        raise SystemExit("%s: %r (expected: %r)" % (name, actual, expected))
    print("ok %s = %r" % (name, actual))


def row(i):
    return [float(i), float(-i), 0.5 * i]


def affine(x):
    return [sum(x[k] * WEIGHTS[k][j] for k in range(3)) + BIAS[j] for j in range(2)]


class InferStream:
    """tritonclient.grpc._InferStream in small: requests from a queue, answers to a callback on a thread."""

    def __init__(self, stub, callback):
        self._requests = queue.Queue()
        self._responses = stub.ModelStreamInfer(iter(self._requests.get, None), timeout=60)
        self._thread = threading.Thread(target=self._process, args=(callback,))
        self._thread.start()

    def _process(self, callback):
        for response in self._responses:
            if response.error_message != "":
                callback(response.infer_response, response.error_message)
            else:
                callback(response.infer_response, None)

    def send(self, request):
        self._requests.put(request)

    def close(self):
        self._requests.put(None)
        self._thread.join(60)


def main():
    proto_dir, grpc_port, model = sys.argv[1], sys.argv[2], sys.argv[3]
    with tempfile.TemporaryDirectory() as out:
        pb, pb_grpc = stubs(proto_dir, out)
        stub = pb_grpc.GRPCInferenceServiceStub(grpc.insecure_channel("127.0.0.1:%s" % grpc_port))
        results, errors = {}, {}
        lock = threading.Lock()

        def callback(result, error):
            with lock:
                (errors if error else results)[result.id] = error or result

        stream = InferStream(stub, callback)
        for i in range(REQUESTS):
            features = 4 if i == BAD else 3
            values = row(i) + ([1.0] if i == BAD else [])
            request = pb.ModelInferRequest(model_name=model, id=str(i))
            request.inputs.add(name="x", datatype="FP32", shape=[1, features])
            request.outputs.add(name="y")
            request.raw_input_contents.append(struct.pack("<%df" % len(values), *values))
            stream.send(request)
        stream.close()

        check("answers", len(results) + len(errors), REQUESTS)
        check("failed ids", sorted(errors), [str(BAD)])
        print("ok error message = %r" % errors[str(BAD)])
        check("succeeded ids", sorted(results, key=int), [str(i) for i in range(REQUESTS) if i != BAD])
        for i in range(REQUESTS):
            if i == BAD:
                continue
            result = results[str(i)]
            got = list(struct.unpack("<2f", result.raw_output_contents[0]))
            want = affine(row(i))
            if any(abs(g - w) > 1e-4 for g, w in zip(got, want)) or list(result.outputs[0].shape) != [1, 2]:
                raise SystemExit("answer %d: %r shape %r (expected: %r shape [1, 2])"
                                 % (i, got, list(result.outputs[0].shape), want))
        print("ok every answer = x.W + b for its own id")
    print("all checks passed")


if __name__ == "__main__":
    main()
