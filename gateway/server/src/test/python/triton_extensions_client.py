"""Triton's statistics, model configuration, classification and log settings as a Python client sees them.

Run by TritonPythonClientIT with /usr/bin/python3 (Debian's python3-grpcio, python3-grpc-tools,
python3-requests): compiles the server's proto with grpc_tools, then calls the REST API with requests
and the gRPC API with the generated stub, the way tritonclient does. Prints one line per check;
exits non-zero on the first mismatch.

usage: triton_extensions_client.py PROTO_DIR HTTP_PORT GRPC_PORT MODEL
"""
import importlib
import sys
import tempfile

import grpc
import requests
from grpc_tools import protoc


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


def main():
    proto_dir, http_port, grpc_port, model = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    base = "http://127.0.0.1:%s" % http_port
    row = {"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}
    for _ in range(4):
        requests.post(base + "/v2/models/%s/versions/1/infer" % model, json={"inputs": [row]}).raise_for_status()
    bad = requests.post(base + "/v2/models/%s/versions/1/infer" % model,
                        json={"inputs": [dict(row, shape=[1, 4], data=[1, 2, 3, 4])]})
    check("bad request status", bad.status_code, 400)

    stats = requests.get(base + "/v2/models/%s/versions/1/stats" % model).json()["model_stats"][0]
    check("rest success count", stats["inference_stats"]["success"]["count"], 4)
    check("rest fail count", stats["inference_stats"]["fail"]["count"], 1)
    check("rest execution count", stats["execution_count"], 4)

    classified = requests.post(base + "/v2/models/%s/infer" % model, json={
        "inputs": [row], "outputs": [{"name": "y", "parameters": {"classification": 1}}]}).json()
    label = classified["outputs"][0]["data"][0].split(":")
    check("rest classification index and label", label[1:], ["1", "pos"])

    with tempfile.TemporaryDirectory() as out:
        pb, pb_grpc = stubs(proto_dir, out)
        channel = grpc.insecure_channel("127.0.0.1:%s" % grpc_port)
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        grpc_stats = stub.ModelStatistics(pb.ModelStatisticsRequest(name=model, version="1")).model_stats[0]
        # the four rows and the classified one
        check("grpc success count", grpc_stats.inference_stats.success.count, 5)
        check("grpc fail count", grpc_stats.inference_stats.fail.count, 1)
        check("grpc batch size", [b.batch_size for b in grpc_stats.batch_stats], [1])
        config = stub.ModelConfig(pb.ModelConfigRequest(name=model)).config
        check("grpc config input type", pb.DataType.Name(config.input[0].data_type), "TYPE_FP32")
        check("grpc config dims", list(config.input[0].dims), [-1, 3])
        check("grpc config labels", config.output[0].label_filename, "labels.txt")
        settings = stub.LogSettings(pb.LogSettingsRequest()).settings
        check("grpc log_file", settings["log_file"].string_param, "")
        try:
            stub.LogSettings(pb.LogSettingsRequest(settings={
                "log_colour": pb.LogSettingsRequest.SettingValue(bool_param=True)}))
            raise SystemExit("unknown log setting: accepted (expected: INVALID_ARGUMENT)")
        except grpc.RpcError as e:
            check("grpc unknown log setting", e.code(), grpc.StatusCode.INVALID_ARGUMENT)
        channel.close()
    print("all checks passed")


if __name__ == "__main__":
    main()
