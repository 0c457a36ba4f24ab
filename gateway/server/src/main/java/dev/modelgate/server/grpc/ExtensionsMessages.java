package dev.modelgate.server.grpc;

import dev.modelgate.api.InferenceException;
import dev.modelgate.api.TensorMetadata;
import dev.modelgate.server.grpc.proto.DataType;
import dev.modelgate.server.grpc.proto.InferBatchStatistics;
import dev.modelgate.server.grpc.proto.InferStatistics;
import dev.modelgate.server.grpc.proto.LogSettingsRequest;
import dev.modelgate.server.grpc.proto.LogSettingsResponse;
import dev.modelgate.server.grpc.proto.ModelConfig;
import dev.modelgate.server.grpc.proto.ModelDynamicBatching;
import dev.modelgate.server.grpc.proto.ModelInput;
import dev.modelgate.server.grpc.proto.ModelInstanceGroup;
import dev.modelgate.server.grpc.proto.ModelOutput;
import dev.modelgate.server.grpc.proto.ModelStatisticsResponse;
import dev.modelgate.server.grpc.proto.StatisticDuration;
import dev.modelgate.server.service.ModelDescription;
import dev.modelgate.server.service.ModelStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Triton's statistics, model configuration and log settings messages from and to the service
 * seam's records: the proto twins of the REST JSON in the http package, field for field.
 */
final class ExtensionsMessages {
    private ExtensionsMessages() {
    }

    static ModelStatisticsResponse statistics(List<ModelStatistics> models) {
        ModelStatisticsResponse.Builder response = ModelStatisticsResponse.newBuilder();
        for (ModelStatistics m : models) {
            dev.modelgate.server.grpc.proto.ModelStatistics.Builder model = response
                    .addModelStatsBuilder().setName(m.name()).setVersion(m.version())
                    .setLastInference(m.lastInferenceMillis())
                    .setInferenceCount(m.inferenceCount()).setExecutionCount(m.executionCount())
                    .setInferenceStats(InferStatistics.newBuilder()
                            .setSuccess(duration(m.success())).setFail(duration(m.fail()))
                            .setQueue(duration(m.queue()))
                            .setComputeInput(duration(m.computeInput()))
                            .setComputeInfer(duration(m.computeInfer()))
                            .setComputeOutput(duration(m.computeOutput()))
                            .setCacheHit(duration(ModelStatistics.Duration.NONE))
                            .setCacheMiss(duration(ModelStatistics.Duration.NONE)));
            for (ModelStatistics.Batch b : m.batches()) {
                model.addBatchStats(InferBatchStatistics.newBuilder().setBatchSize(b.batchSize())
                        .setComputeInput(duration(b.computeInput()))
                        .setComputeInfer(duration(b.computeInfer()))
                        .setComputeOutput(duration(b.computeOutput())));
            }
        }
        return response.build();
    }

    private static StatisticDuration duration(ModelStatistics.Duration d) {
        return StatisticDuration.newBuilder().setCount(d.count()).setNs(d.ns()).build();
    }

    static ModelConfig configuration(ModelDescription d) {
        ModelConfig.Builder config = ModelConfig.newBuilder().setName(d.name())
                .setPlatform(d.platform()).setBackend(d.backend())
                .setMaxBatchSize(d.maxBatchSize());
        for (TensorMetadata t : d.inputs()) {
            config.addInput(ModelInput.newBuilder().setName(t.name()).setDataType(type(t))
                    .addAllDims(dims(t)));
        }
        for (TensorMetadata t : d.outputs()) {
            config.addOutput(ModelOutput.newBuilder().setName(t.name()).setDataType(type(t))
                    .addAllDims(dims(t)).setLabelFilename(d.labelsFile()));
        }
        d.batching().ifPresent(b -> config.setDynamicBatching(ModelDynamicBatching.newBuilder()
                .addAllPreferredBatchSize(b.preferredBatchSizes())
                .setMaxQueueDelayMicroseconds(b.maxQueueDelayMicros())));
        config.addInstanceGroup(ModelInstanceGroup.newBuilder().setName(d.name())
                .setCount(d.instanceCount()).setKind(d.gpu() ? ModelInstanceGroup.Kind.KIND_GPU
                        : ModelInstanceGroup.Kind.KIND_CPU));
        return config.build();
    }

    private static DataType type(TensorMetadata t) {
        return t.datatype() == dev.modelgate.api.DataType.BYTES ? DataType.TYPE_STRING
                : DataType.valueOf("TYPE_" + t.datatype().name());
    }

    private static List<Long> dims(TensorMetadata t) {
        return java.util.Arrays.stream(t.shape()).boxed().toList();
    }

    /**
     * The changes a request asks for, as the seam's values (uint32 as {@link Long}).
     *
     * @throws InferenceException INVALID_ARGUMENT for a setting without a value
     */
    static Map<String, Object> changes(LogSettingsRequest request) {
        Map<String, Object> changes = new LinkedHashMap<>();
        request.getSettingsMap().forEach((key, value) -> {
            switch (value.getParameterChoiceCase()) {
                case BOOL_PARAM -> changes.put(key, value.getBoolParam());
                case UINT32_PARAM -> changes.put(key, Integer.toUnsignedLong(value.getUint32Param()));
                case STRING_PARAM -> changes.put(key, value.getStringParam());
                default -> throw InferenceException.invalid("setting " + key
                        + ": no value (expected: a bool, uint32 or string)");
            }
        });
        return changes;
    }

    static LogSettingsResponse settings(Map<String, Object> settings) {
        LogSettingsResponse.Builder response = LogSettingsResponse.newBuilder();
        settings.forEach((key, value) -> {
            LogSettingsResponse.SettingValue.Builder setting = LogSettingsResponse.SettingValue
                    .newBuilder();
            if (value instanceof Boolean b) {
                setting.setBoolParam(b);
            } else if (value instanceof Long n) {
                setting.setUint32Param((int) n.longValue());
            } else {
                setting.setStringParam(String.valueOf(value));
            }
            response.putSettings(key, setting.build());
        });
        return response.build();
    }
}
