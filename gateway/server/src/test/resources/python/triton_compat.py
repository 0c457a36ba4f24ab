"""What a Triton/KServe Python client does against Modelgate, with grpcio and requests only.

NVIDIA's tritonclient.http needs python-rapidjson, which Debian does not package, so this script
speaks the same wire forms directly: gRPC through stubs generated from Modelgate's own
grpc_predict_v2.proto (the package and service names are Triton's, so the bytes on the wire are
tritonclient.grpc's), REST through requests with the binary tensor data extension as tritonclient
lays it out. Each check prints one JSON line {"check": name, "ok": bool, "detail": ...}; the Java
test (TritonClientCompatIT) asserts them. Usage:

  triton_compat.py PROTO_DIR OUT_DIR HTTP_PORT GRPC_PORT
"""
import gzip
import json
import struct
import subprocess
import sys
import traceback

PROTO_DIR, OUT_DIR, HTTP_PORT, GRPC_PORT = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
ELEMENTS = [b"\xff\xfe", b"", b"ok"]

subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", PROTO_DIR,
                "--python_out=" + OUT_DIR, "--grpc_python_out=" + OUT_DIR,
                "grpc_predict_v2.proto"], check=True)
sys.path.insert(0, OUT_DIR)

import grpc  # noqa: E402
import requests  # noqa: E402
import grpc_predict_v2_pb2 as pb  # noqa: E402
import grpc_predict_v2_pb2_grpc as pb_grpc  # noqa: E402


def report(name, ok, detail=None):
    print(json.dumps({"check": name, "ok": bool(ok), "detail": detail}), flush=True)


def check(name):
    def wrap(fn):
        try:
            ok, detail = fn()
            report(name, ok, detail)
        except Exception as e:  # a failed check is a result, not the end of the run
            report(name, False, "".join(traceback.format_exception_only(type(e), e)).strip())
        return fn
    return wrap


def serialize_bytes(elements):
    """tritonclient.utils.serialize_byte_tensor: 4-byte little-endian length, then the bytes."""
    return b"".join(struct.pack("<I", len(e)) + e for e in elements)


def deserialize_bytes(raw):
    out, at = [], 0
    while at < len(raw):
        (length,) = struct.unpack_from("<I", raw, at)
        out.append(raw[at + 4:at + 4 + length])
        at += 4 + length
    return out


channel = grpc.insecure_channel("127.0.0.1:%d" % GRPC_PORT)
stub = pb_grpc.GRPCInferenceServiceStub(channel)


def bytes_request(raw):
    request = pb.ModelInferRequest(model_name="echo")
    tensor = request.inputs.add(name="text", datatype="BYTES", shape=[len(ELEMENTS)])
    if raw:
        request.raw_input_contents.append(serialize_bytes(ELEMENTS))
    else:
        tensor.contents.bytes_contents.extend(ELEMENTS)
    return request


@check("grpc_bytes_raw")
def _():
    answer = stub.ModelInfer(bytes_request(True), timeout=10)
    got = deserialize_bytes(answer.raw_output_contents[0])
    return got == ELEMENTS, repr(got)


@check("grpc_bytes_contents")
def _():
    answer = stub.ModelInfer(bytes_request(False), timeout=10)
    got = deserialize_bytes(answer.raw_output_contents[0])
    return got == ELEMENTS, repr(got)


@check("grpc_gzip_request")
def _():
    answer = stub.ModelInfer(bytes_request(True), timeout=10, compression=grpc.Compression.Gzip)
    got = deserialize_bytes(answer.raw_output_contents[0])
    return got == ELEMENTS, repr(got)


@check("grpc_deflate_request")
def _():
    answer = stub.ModelInfer(bytes_request(True), timeout=10, compression=grpc.Compression.Deflate)
    got = deserialize_bytes(answer.raw_output_contents[0])
    return got == ELEMENTS, repr(got)


@check("grpc_unknown_model_not_ready")
def _():
    answer = stub.ModelReady(pb.ModelReadyRequest(name="no-such-model"), timeout=10)
    return answer.ready is False, str(answer.ready)


@check("grpc_typed_inputs_raw_outputs")
def _():
    request = pb.ModelInferRequest(model_name="toy")
    tensor = request.inputs.add(name="x", datatype="FP32", shape=[1, 3])
    tensor.contents.fp32_contents.extend([1.0, 2.0, 3.0])
    answer = stub.ModelInfer(request, timeout=10)
    raw = len(answer.raw_output_contents)
    typed = sum(len(o.contents.fp32_contents) for o in answer.outputs)
    values = list(struct.unpack("<%df" % (len(answer.raw_output_contents[0]) // 4),
                                answer.raw_output_contents[0])) if raw else []
    return raw == len(answer.outputs) and raw > 0 and typed == 0, values


@check("grpc_failed_model_in_index")
def _():
    index = stub.RepositoryIndex(pb.RepositoryIndexRequest(), timeout=10)
    rows = {m.name: (m.state, m.reason) for m in index.models}
    state, reason = rows.get("cold", ("missing", ""))
    return state == "UNAVAILABLE" and "warm-up" in reason, rows


@check("grpc_kserve_unload")
def _():
    # KServe's RepositoryModelUnloadRequest has model_name as field 1, our repository_name.
    kserve = pb.RepositoryModelUnloadRequest(repository_name="spare")
    answer = stub.RepositoryModelUnload(kserve, timeout=10)
    ready = stub.ModelReady(pb.ModelReadyRequest(name="spare"), timeout=10).ready
    return answer.model_name == "spare" and answer.is_unloaded and ready is False, \
        {"model_name": answer.model_name, "ready_after": ready}


base = "http://127.0.0.1:%d" % HTTP_PORT


def binary_body(binary_output):
    header = {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [len(ELEMENTS)],
                          "parameters": {"binary_data_size": len(serialize_bytes(ELEMENTS))}}],
              "outputs": [{"name": "text_out", "parameters": {"binary_data": binary_output}}]}
    head = json.dumps(header).encode()
    return head, head + serialize_bytes(ELEMENTS)


def split_binary(response):
    length = int(response.headers["Inference-Header-Content-Length"])
    return json.loads(response.content[:length]), response.content[length:]


@check("http_bytes_binary")
def _():
    head, body = binary_body(True)
    r = requests.post(base + "/v2/models/echo/infer", data=body, timeout=10, headers={
        "Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(head))})
    header, raw = split_binary(r)
    return r.status_code == 200 and deserialize_bytes(raw) == ELEMENTS, repr(deserialize_bytes(raw))


@check("http_bytes_json_refused")
def _():
    head, body = binary_body(False)
    r = requests.post(base + "/v2/models/echo/infer", data=body, timeout=10, headers={
        "Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(head))})
    return r.status_code == 400 and "not UTF-8" in r.json()["error"], r.text


@check("http_gzip_request")
def _():
    head, body = binary_body(True)
    r = requests.post(base + "/v2/models/echo/infer", data=gzip.compress(body), timeout=10, headers={
        "Content-Type": "application/octet-stream", "Content-Encoding": "gzip",
        "Inference-Header-Content-Length": str(len(head))})
    header, raw = split_binary(r)
    return r.status_code == 200 and deserialize_bytes(raw) == ELEMENTS, r.status_code


@check("http_gzip_answer")
def _():
    rows = ",".join(["1,2,3"] * 200)
    body = '{"inputs":[{"name":"x","datatype":"FP32","shape":[200,3],"data":[%s]}]}' % rows
    r = requests.post(base + "/v2/models/toy/infer", data=body, timeout=10,
                      headers={"Accept-Encoding": "gzip"})
    return r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip" \
        and len(r.json()["outputs"][0]["data"]) == 400, r.headers.get("Content-Encoding")


@check("http_unsupported_encoding")
def _():
    r = requests.post(base + "/v2/models/toy/infer", data=b"xx", timeout=10,
                      headers={"Content-Encoding": "br"})
    return r.status_code == 415, r.text


@check("http_index_matches_grpc")
def _():
    r = requests.post(base + "/v2/repository/index", data="{}", timeout=10)
    rest = sorted((m["name"], m["state"]) for m in r.json())
    grpc_rows = sorted((m.name, m.state) for m in stub.RepositoryIndex(pb.RepositoryIndexRequest()).models)
    return rest == grpc_rows, rest
